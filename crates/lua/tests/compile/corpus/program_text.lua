-- Word frequencies, a tokenizer with a state machine, and numeric helpers.
local function words(text)
  local counts, order = {}, {}
  for word in text:gmatch("%a+") do
    local w = word:lower()
    if not counts[w] then order[#order + 1] = w; counts[w] = 0 end
    counts[w] = counts[w] + 1
  end
  table.sort(order, function(a, b)
    if counts[a] ~= counts[b] then return counts[a] > counts[b] end
    return a < b
  end)
  return order, counts
end

local function tokenize(s)
  local tokens, i, n = {}, 1, #s
  while i <= n do
    local c = s:sub(i, i)
    if c:match("%s") then
      i = i + 1
    elseif c:match("%d") then
      local j = i
      while j <= n and s:sub(j, j):match("[%d%.]") do j = j + 1 end
      tokens[#tokens + 1] = {kind = "num", value = tonumber(s:sub(i, j - 1))}
      i = j
    elseif c == "(" or c == ")" or c:match("[%+%-%*/%^]") then
      tokens[#tokens + 1] = {kind = c}
      i = i + 1
    else
      error(("bad character %q at %d"):format(c, i), 2)
    end
  end
  return tokens
end

local function gcd(a, b) while b ~= 0 do a, b = b, a % b end return a end
local function clamp(x, lo, hi) return x < lo and lo or x > hi and hi or x end
local function mean(...)
  local n, sum = select("#", ...), 0
  for i = 1, n do sum = sum + select(i, ...) end
  return n > 0 and sum / n or 0 / 0
end

local order, counts = words("the quick brown fox jumps over the lazy dog The End")
for i = 1, math.min(3, #order) do
  io.write(order[i], "=", counts[order[i]], i < 3 and ", " or "\n")
end
local toks = tokenize("3 + 4.5 * (2 - 1) ^ 2")
print(#toks, gcd(48, 18), clamp(15, 0, 10), mean(1, 2, 3, 4), 1 << 10 | 3 & ~1)
goto finish
do print("unreachable") end
::finish::
