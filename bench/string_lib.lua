-- String library: find, match, gsub, format, rep, sub, byte, upper.
-- Usage: string_lib.lua [n]; prints a checksum.
local n = tonumber(arg and arg[1]) or 10000
local text = ("The quick brown fox jumps over the lazy dog 12345 times; "):rep(20)
local total = 0
for round = 1, n do
  local count = 0
  for w in text:gmatch("%a+") do count = count + #w end
  local replaced, k = text:gsub("o", "0")
  local s, e = text:find("lazy", 1, true)
  local num = tonumber(text:match("(%d+) times"))
  local f = string.format("%5d|%-8s|%.3f|%x", round, "abc", round / 7, round * 255)
  local sub = text:sub(round % 50 + 1, round % 50 + 20):upper()
  local r = ("ab"):rep(round % 30 + 1, ",")
  local caps = text:gsub("(%w+) (%w+)", "%2 %1", 10)
  total = (total + count + k + s + e + num + #f + sub:byte(1) + #r + #caps + #replaced) % 1000000007
end
print(string.format("%d", total))
