local a = 1
local function f(x) return x + a end
local function g(...) local n = select('#', ...) return n, ... end
function h(x, y) a = x; return function() return a + y end end
local t = {}
function t.m(self) return self end
function t:n(z) return self, z end
function t.a.b.c:d() end
local u = 0
local function counter()
  u = u + 1
  return function() u = u + 1; return u end
end
for i = 1, 3 do
  t[i] = function() return i end
end
while true do
  local v = u
  t.f = function() return v end
  if v then break end
end
do
  local w = 1
  t.g = function() w = w + 1 end
end
local function rec(n) if n == 0 then return 1 end return n * rec(n - 1) end
return f(1), g(1, 2, 3), rec(5)
