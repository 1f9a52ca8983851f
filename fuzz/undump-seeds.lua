-- Writes the seed corpus of the `undump` fuzz target: dumps (plain and stripped) of small
-- programs that cover most instructions. Run: lunatik-lua fuzz/undump-seeds.lua fuzz/corpus/undump
local out = arg[1]
local progs = {
  "return 1 + 2",
  "local t = {} for i = 1, 10 do t[i] = i * 2 end return #t",
  "local s = 0 for k, v in pairs({a = 1, b = 2, 3}) do s = s + v end return s",
  "local function f(...) local a, b = ... return select('#', ...), a, b end return f(1, 2, 3)",
  "local up = 1 local function g() up = up + 1 return up end return g() + g()",
  "local o = setmetatable({}, {__add = function() return 1 end, __index = function(t, k) return k end}) return o + 1, o.x, o[1]",
  "local x <close> = nil local y <const> = 5 return y",
  "local t = {1, 2, 3, x = 1, ['y'] = 2, [3.5] = 3, f()} return t",
  "while true do break end repeat local a = 1 until a == 1 goto e ::e:: return",
  "local a, b = 1.5, 2 return a // b, a % b, a ^ b, 1 << 3, 7 >> 1, ~5, 5 & 3, 5 | 3, 5 ~ 3, -a, not a, #'abc', 'a' .. 'b'",
  "return function(a, b) if a < b then return a elseif a <= b then return b elseif a == 1 then return 2 end return a > 10 and a >= 11 end",
  "local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) return co(1), co(2)",
  "local s = string.format('%d %s', 1, 'x') return s:upper():rep(2, ',')",
  "local t = {} t.x = {} t.x.y = 1 t[1] = t.x return t.x.y + t[1].y",
  "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end return fib(10)",
  "return pcall(error, {}) , select(2, pcall(error, 'x'))",
  "local n = 0 for i = 10, 1, -2 do n = n + i end for i = 1.0, 2.0, 0.5 do n = n + i end return n",
  "local t = {...} return table.concat(t, ','), ...",
}
for i, src in ipairs(progs) do
  local f = assert(load(src, "=seed" .. i))
  for _, strip in ipairs({false, true}) do
    local name = string.format("%s/seed-%02d%s", out, i, strip and "-strip" or "")
    local h = assert(io.open(name, "wb"))
    h:write(string.dump(f, strip))
    h:close()
  end
end
