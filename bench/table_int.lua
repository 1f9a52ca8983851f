-- Array part: append, indexed read/write and length over integer keys.
-- Usage: table_int.lua [n]; prints a checksum.
local n = tonumber(arg and arg[1]) or 170
local size = 100000
local sum = 0
for round = 1, n do
  local t = {}
  for i = 1, size do t[i] = i + round end
  for i = 1, size do t[i] = t[i] * 2 end
  for i = 1, #t, 7 do sum = sum + t[i] end
  local u = {}
  for i = 1, size / 10 do u[#u + 1] = i end
  sum = (sum + #u + u[#u]) % 1000000007
end
print(string.format("%d", sum))
