-- Hash part with integer keys: a sparse integer-keyed table filled, then read.
-- Usage: table_sparse.lua [n]; prints a checksum.
local n = tonumber(arg and arg[1]) or 4
local total = 0
for round = 1, n do
  local sparse = {}
  for i = 1, 250000 do sparse[i * 7919 + round] = i end
  for i = 1, 250000 do total = total + sparse[i * 7919 + round] end
  total = total % 1000000007
end
print(string.format("%d", total))
