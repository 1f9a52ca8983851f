local c = 0
for i = math.maxinteger - 2, math.maxinteger do c = c + 1 end
for i = math.mininteger, math.mininteger + 2 do c = c + 1 end
for i = 1, 0 do c = c + 100 end
for i = 1.0, 3 do c = c + 1 end
for i = 1, 3, 0.5 do c = c + 1 end
for i = 3, 1, -1 do c = c + 1 end
for i = math.mininteger, math.maxinteger, math.maxinteger do c = c + 1 end
local ok, e = pcall(function() for i = 1, 10, 0 do end end)
local ok2, e2 = pcall(function() for i = "a", 2 do end end)
return c, ok, e, ok2, e2
