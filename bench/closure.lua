-- Closures: creating closures over fresh upvalues and calling them.
-- Usage: closure.lua [n]; prints a checksum.
local n = tonumber(arg and arg[1]) or 2500000
local function counter(start)
  local c = start
  return function(d) c = c + d; return c end
end
local function compose(f, g) return function(x) return f(g(x)) end end
local total = 0
for i = 1, n do
  local inc = counter(i)
  inc(1)
  total = (total + inc(2)) % 1000000007
  if i % 10 == 0 then
    local h = compose(function(x) return x + 1 end, function(x) return x * 2 end)
    total = total + h(i % 100)
  end
end
local acc = {}
for i = 1, 1000 do acc[i] = function() return i end end
for r = 1, 100 do for i = 1, 1000 do total = total + acc[i]() end end
print(string.format("%d", total % 1000000007))
