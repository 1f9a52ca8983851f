-- Hash part: insert and look up string keys (string creation and hashing).
-- Usage: table_str.lua [n]; prints a checksum.
local n = tonumber(arg and arg[1]) or 32
local size = 50000
local keys = {}
for i = 1, size do keys[i] = "key" .. i end
local total = 0
for round = 1, n do
  local t = {}
  for i = 1, size do t[keys[i]] = i + round end
  for i = size, 1, -1 do total = total + t[keys[i]] end
  for i = 1, size, 3 do t[keys[i]] = nil end
  local live = 0
  for _, v in pairs(t) do live = live + 1 end
  local fresh = {}
  for i = 1, size / 5 do fresh["f" .. (i % 1000) .. "_" .. round] = i end
  total = (total + live + (t.key2 or 0)) % 1000000007
end
print(string.format("%d", total))
