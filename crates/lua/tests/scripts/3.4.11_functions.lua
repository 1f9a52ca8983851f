-- §3.4.11 Function definitions: statement forms, methods, parameters and
-- varargs, closures and shared upvalues.

-- Statement forms are sugar for assignments.
do
  local t = {a = {b = {}}}
  function t.a.b.f(x) return x + 1 end
  assert(t.a.b.f(1) == 2, "function t.a.b.f")
  function t.a.b:m(x) return self, x end
  local s, x = t.a.b:m(5)
  assert(s == t.a.b and x == 5, "function t.a.b:m has an implicit self")
  function Global_fn() return "g" end
  assert(Global_fn() == "g" and _ENV.Global_fn == Global_fn, "global function statement")
  Global_fn = nil
  local function lf(n) if n <= 1 then return 1 end return n * lf(n - 1) end
  assert(lf(5) == 120, "local function is visible in its own body")
  local g
  g = function(n) return n end
  assert(g(3) == 3, "anonymous function value")
  assert(type(function() end) == "function", "function expression")
end

-- Parameters are adjusted; varargs keep everything.
do
  local function f(a, b) return a, b end
  local function g(a, b, ...) return a, b, select("#", ...), ... end
  local function r() return 1, 2, 3 end
  local a, b = f(3)
  assert(a == 3 and b == nil, "f(3)")
  a, b = f(3, 4, 5)
  assert(a == 3 and b == 4, "f(3, 4, 5)")
  a, b = f(r(), 10)
  assert(a == 1 and b == 10, "f(r(), 10)")
  a, b = f(r())
  assert(a == 1 and b == 2, "f(r())")
  local p, q, n = g(3)
  assert(p == 3 and q == nil and n == 0, "g(3)")
  local p2, q2, n2, v1, v2 = g(3, 4, 5, 8)
  assert(p2 == 3 and q2 == 4 and n2 == 2 and v1 == 5 and v2 == 8, "g(3, 4, 5, 8)")
  local p3, q3, n3, w1, w2 = g(5, r())
  assert(p3 == 5 and q3 == 1 and n3 == 2 and w1 == 2 and w2 == 3, "g(5, r())")
  local function count(...) return select("#", ...) end
  assert(count() == 0 and count(nil) == 1 and count(nil, nil) == 2, "vararg counts nils")
  local function pass(...) return count(...) end
  assert(pass(1, nil, nil) == 3, "varargs forwarded intact")
  local function first(...) local x = ...; return x end
  assert(first(7, 8, 9) == 7, "vararg adjusted to one value")
  local function packed(...) return table.pack(...) end
  local t = packed(nil, 2, nil)
  assert(t.n == 3 and t[2] == 2, "table.pack of varargs")
  local function va_in_middle(...) return ..., "end" end
  local m1, m2, m3 = va_in_middle(1, 2, 3)
  assert(m1 == 1 and m2 == "end" and m3 == nil, "vararg not last is truncated")
  local function sel(...) return select(-1, ...) end
  assert(sel(1, 2, 3) == 3, "select(-1, ...)")
  -- many parameters
  local function many(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16)
    return a1 + a16, a8
  end
  local s1, s2 = many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
  assert(s1 == 17 and s2 == 8, "sixteen parameters")
  -- parameters are locals: assigning them does not affect the caller
  local outer = 1
  local function mutate(v) v = v + 1; return v end
  assert(mutate(outer) == 2 and outer == 1, "parameters are copies of the values")
  local tab = {}
  local function mutate_t(v) v.x = 1 end
  mutate_t(tab)
  assert(tab.x == 1, "tables are passed by reference")
end

-- Closures: each evaluation creates a new closure; upvalues are shared.
do
  local function counter()
    local n = 0
    return function() n = n + 1; return n end, function() return n end
  end
  local inc1, get1 = counter()
  local inc2, get2 = counter()
  inc1(); inc1(); inc2()
  assert(get1() == 2 and get2() == 1, "independent counters")
  assert(inc1 ~= inc2, "distinct closures")
  -- closures created in a loop share outer locals but not loop locals
  local shared = 0
  local fs = {}
  for i = 1, 5 do
    local own = i * 10
    fs[i] = function(d) shared = shared + d; own = own + d; return own end
  end
  assert(fs[1](1) == 11 and fs[2](1) == 21 and fs[1](1) == 12, "per-iteration locals are separate")
  assert(shared == 3, "outer local is shared")
  -- an upvalue keeps living after its scope ends
  local getter
  do
    local hidden = "secret"
    getter = function() return hidden end
  end
  assert(getter() == "secret", "upvalue outlives its block")
  -- closed upvalue shared by two closures
  local set, get
  do
    local v = 1
    set = function(x) v = x end
    get = function() return v end
  end
  set(42)
  assert(get() == 42, "two closures share a closed upvalue")
  -- deep nesting of upvalues
  local function l1()
    local a = 1
    return function()
      local b = 2
      return function()
        local c = 3
        return function()
          a = a + 1
          return a + b + c
        end
      end
    end
  end
  local deepf = l1()()()
  assert(deepf() == 7 and deepf() == 8, "upvalue through three levels")
  -- recursion through an upvalue
  local fib
  fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
  assert(fib(20) == 6765, "recursive upvalue")
  -- closures with different upvalues are different values (§3.4.4 allows
  -- closures without detectable differences to compare equal, so only this is checked)
  local mk = function(v) return function() return v end end
  assert(mk(1) ~= mk(2), "closures with different upvalues differ")
end

-- Closures capture while-loop and repeat-loop locals freshly per iteration.
do
  local fs = {}
  local i = 1
  while i <= 3 do
    local j = i
    fs[i] = function() return j end
    i = i + 1
  end
  assert(fs[1]() == 1 and fs[2]() == 2 and fs[3]() == 3, "while-loop locals are fresh")
  local gs = {}
  for k, v in pairs({a = 1, b = 2}) do gs[k] = function() return k, v end end
  local ka, va = gs.a()
  local kb, vb = gs.b()
  assert(ka == "a" and va == 1 and kb == "b" and vb == 2, "generic-for variables are fresh")
  -- a closure created before a break still sees its value
  local saved
  for n = 1, 10 do
    saved = function() return n end
    if n == 4 then break end
  end
  assert(saved() == 4, "loop variable captured before break")
end

-- Functions as values.
do
  local ops = {
    add = function(a, b) return a + b end,
    mul = function(a, b) return a * b end,
  }
  assert(ops.add(2, 3) == 5 and ops["mul"](2, 3) == 6, "functions in tables")
  local function compose(f, g) return function(...) return f(g(...)) end end
  local inc = function(x) return x + 1 end
  local dbl = function(x) return x * 2 end
  assert(compose(inc, dbl)(5) == 11 and compose(dbl, inc)(5) == 12, "composition")
  local function curry(f) return function(a) return function(b) return f(a, b) end end end
  assert(curry(ops.add)(1)(2) == 3, "currying")
  local applied = {}
  for i, f in ipairs({inc, dbl, inc}) do applied[i] = f(i) end
  assert(applied[1] == 2 and applied[2] == 4 and applied[3] == 4, "iterate over functions")
end

-- Varargs of every length from 0 to 60 keep their count and values, through
-- select, table.pack, forwarding and table constructors.
do
  local function fwd(...) return ... end
  local function count(...) return select("#", ...) end
  for n = 0, 60 do
    local args = {}
    for i = 1, n do args[i] = (i % 3 == 0) and nil or i end
    local p = table.pack(fwd(table.unpack(args, 1, n)))
    assert(p.n == n, "forwarded count " .. n)
    assert(count(table.unpack(args, 1, n)) == n, "select('#') for " .. n)
    for i = 1, n do assert(p[i] == args[i], "value " .. i .. " of " .. n) end
    if n > 0 then
      assert(select(-1, table.unpack(args, 1, n)) == args[n], "select(-1) for " .. n)
    end
  end
end

-- Upvalues shared by closures created at every level of nested loops.
do
  local grid = {}
  for i = 1, 8 do
    for j = 1, 8 do
      local cell = i * 10 + j
      grid[#grid + 1] = {get = function() return cell end, set = function(v) cell = v end, i = i, j = j}
    end
  end
  for _, c in ipairs(grid) do
    assert(c.get() == c.i * 10 + c.j, "initial upvalue of cell " .. c.i .. "," .. c.j)
    c.set(-c.get())
  end
  for _, c in ipairs(grid) do
    assert(c.get() == -(c.i * 10 + c.j), "updated upvalue of cell " .. c.i .. "," .. c.j)
  end
end
