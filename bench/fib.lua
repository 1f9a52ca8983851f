-- Recursive calls: naive Fibonacci. Measures Lua-to-Lua call and return.
-- Usage: fib.lua [n]; prints fib(n).
local n = tonumber(arg and arg[1]) or 34
local function fib(k)
  if k < 2 then return k end
  return fib(k - 1) + fib(k - 2)
end
print(string.format("%d", fib(n)))
