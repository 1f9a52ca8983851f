-- Integer loops: nested numeric for loops with integer arithmetic and modulo.
-- Usage: loop.lua [n]; prints a checksum.
local n = tonumber(arg and arg[1]) or 20000
local m = 1000000007
local s = 0
for i = 1, n do
  for j = 1, 1000 do
    s = (s + i * j + (i - j)) % m
  end
end
local k, w = 0, 0
while k < n * 100 do
  k = k + 1
  if k % 3 == 0 then w = w + 1 elseif k % 5 == 0 then w = w - 1 else w = w + 2 end
end
print(string.format("%d %d", s, w))
