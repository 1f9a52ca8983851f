local function f(...)
  local n = 0
  for i = 1, select("#", ...) do
    if select(i, ...) == nil then goto continue end
    n = n + 1
    ::continue::
  end
  local t = table.pack(...)
  return n, t.n, select(-1, ...), ...
end
do goto skip; local x = 1; ::skip:: end
return f(1, nil, 3, nil), select("#", f()), pcall(select, 0)
