-- table.sort on integers, floats and strings, with and without a comparator.
-- Usage: sort.lua [n]; prints a checksum.
local n = tonumber(arg and arg[1]) or 4
local size = 50000
local seed = 42
local function rand(m)
  seed = (seed * 16807) % 2147483647
  return seed % m
end
local total = 0
for round = 1, n do
  local a, b, c = {}, {}, {}
  for i = 1, size do
    a[i] = rand(1000000)
    b[i] = rand(1000) / 7
    c[i] = "s" .. rand(100000)
  end
  table.sort(a)
  table.sort(b, function(x, y) return x > y end)
  table.sort(c)
  local recs = {}
  for i = 1, size / 5 do recs[i] = {k = rand(100), id = i} end
  table.sort(recs, function(x, y) if x.k ~= y.k then return x.k < y.k end return x.id < y.id end)
  total = (total + a[1] + a[size] + math.floor(b[1]) + #c[size] + recs[1].id + recs[#recs].k) % 1000000007
end
print(string.format("%d", total))
