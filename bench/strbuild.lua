-- String building: repeated `..` on short strings and table.concat of many parts.
-- Usage: strbuild.lua [n]; prints a checksum.
local n = tonumber(arg and arg[1]) or 70
local total = 0
for round = 1, n do
  local parts = {}
  for i = 1, 20000 do parts[#parts + 1] = "item" .. i .. ";" end
  local s = table.concat(parts)
  total = total + #s
  local acc = ""
  for i = 1, 2000 do acc = acc .. (i % 10) end
  total = total + #acc + acc:byte(1000)
  local line = ""
  for i = 1, 200 do line = "<" .. line .. ">" end
  total = (total + #line) % 1000000007
end
print(string.format("%d", total))
