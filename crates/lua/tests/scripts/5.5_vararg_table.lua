-- lua5.5-only
-- §3.4.11 Lua 5.5 named vararg tables: `function f(...t)`; t.n, indexing,
-- read-only name, and `...` reading the table.

local function compile_error(src)
  local f, msg = load(src, "=src")
  assert(f == nil, "expected a compile error for: " .. src)
  return msg
end

local function count(...t) return t.n end
assert(count() == 0 and count(nil) == 1 and count(1, nil, nil) == 3, "t.n counts the extra arguments")

local function g(a, b, ...t) return a, b, t.n, t[1], t[2] end
local a, b, n, x, y = g(3, 4, 5, 8)
assert(a == 3 and b == 4 and n == 2 and x == 5 and y == 8, "manual: g(3, 4, 5, 8)")
a, b, n = g(3)
assert(a == 3 and b == nil and n == 0, "manual: g(3)")
local function r() return 1, 2, 3 end
a, b, n, x, y = g(5, r())
assert(a == 5 and b == 1 and n == 2 and x == 2 and y == 3, "manual: g(5, r())")

local function as_table(...t) return t end
local t = as_table("p", "q")
assert(type(t) == "table" and t[1] == "p" and t[2] == "q" and t.n == 2, "the vararg table escapes as a real table")

local function both(...t) return select("#", ...), ... end
local c, v1, v2 = both(7, 8)
assert(c == 2 and v1 == 7 and v2 == 8, "... still works with a named table")

-- `...` reads the table from 1 to t.n
local function modified(...t)
  t[1] = "changed"
  t.n = 1
  return ...
end
local m = table.pack(modified("orig", "dropped"))
assert(m.n == 1 and m[1] == "changed", "modifying the vararg table changes ...")

-- the name is read-only
assert(compile_error("local function f(...t) t = {} end") == "src:1: attempt to assign to const variable 't'", "vararg name is const")

-- captured by a closure (no longer the virtual optimisation)
local function capture(...t) return function() return t.n, t[1] end end
local cn, c1 = capture("z")()
assert(cn == 1 and c1 == "z", "vararg table captured as an upvalue")

