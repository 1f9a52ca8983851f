local r = {}
for _, a in ipairs{7, -7, 7.5, -7.5, math.maxinteger, math.mininteger, 0} do
  for _, b in ipairs{2, -2, 2.5, -0.0, 1, -1} do
    r[#r + 1] = a // b
    r[#r + 1] = a % b
  end
end
return #r, r[1], r[2], 3 % math.mininteger, math.mininteger % -1, math.mininteger // -1
