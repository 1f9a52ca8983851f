-- lua5.5-only
-- §2.2/§3.3.7 `global` declarations: explicit globals, `global *`,
-- `global<const> *`, attributes, initialisation that fails when the global is
-- already defined, `global function`, and compile errors for undeclared names.

local function compile_error(src)
  local f, msg = load(src, "=src")
  assert(f == nil, "expected a compile error for: " .. src)
  return msg
end

local function run(src, env)
  local f, msg = load(src, "=src", "t", env)
  assert(f, "expected to compile: " .. src .. " -> " .. tostring(msg))
  return pcall(f)
end

-- The manual's first example: a global declaration voids the implicit `global *`.
do
  local env = {}
  local ok, msg = run("X = 1\ndo global Y; Y = 1 end\nX = 2\nreturn X", env)
  assert(ok and env.X == 2 and env.Y == 1, "declared names inside, free names outside: " .. tostring(msg))
  local m = compile_error("X = 1\ndo\n  global Y\n  Y = 1\n  X = 1\nend")
  assert(m == "src:5: variable 'X' not declared", "undeclared name inside a global scope: " .. m)
  local m2 = compile_error("global none\nprint(1)")
  assert(m2 == "src:2: variable 'print' not declared", "global none makes every other name undeclared: " .. m2)
end

-- The manual's shadowing example, with values collected instead of printed.
do
  local out = {}
  local env = {out = out}
  local ok, msg = run([[
global out, x
x = 10
do
  local x = x
  out[#out + 1] = x
  x = x + 1
  do
    local x = x + 1
    out[#out + 1] = x
  end
  out[#out + 1] = x
end
out[#out + 1] = x
]], env)
  assert(ok, tostring(msg))
  assert(out[1] == 10 and out[2] == 12 and out[3] == 11 and out[4] == 10, "shadowing of a declared global")
  assert(env.x == 10, "the global x")
end

-- global * and global<const> *
do
  local env = {print = print, math = math}
  local ok = run("global X\nglobal *\nY = 2\nX = 1", env)
  assert(ok and env.X == 1 and env.Y == 2, "global * restores free access")
  local m = compile_error("global X\nglobal<const> *\nlocal p = math.pi\nX = 1\nY = 1")
  assert(m == "src:5: attempt to assign to const variable 'Y'", "global<const> * makes free names read-only: " .. m)
  local ok2, v = run("global<const> *\nreturn math.pi", env)
  assert(ok2 and v == math.pi, "reading under global<const> *")
  local m3 = compile_error("global<const> *\nprint = nil")
  assert(m3 == "src:2: attempt to assign to const variable 'print'", "assigning a library name under global<const> *")
end

-- Attributes on global names; the effect is only syntactic.
do
  local m = compile_error("global X <const>, _G\nX = 1")
  assert(m == "src:2: attempt to assign to const variable 'X'", "const global: " .. m)
  local env = {}
  env._G = env
  local ok, msg = run("global X <const>, _G\n_ENV.X = 1\nreturn _G.X", env)
  assert(ok and msg == 1 and env.X == 1, "_ENV.X bypasses the const declaration: " .. tostring(msg))
  local m2 = compile_error("global<const> A, B\nB = 2")
  assert(m2 == "src:2: attempt to assign to const variable 'B'", "prefix attribute applies to all names")
  local m3 = compile_error("global x <close>")
  assert(m3 ~= nil, "globals cannot be to-be-closed")
end

-- Initialisation raises an error when the global already has a non-nil value.
do
  local env = {}
  local ok, msg = run("global g = 1\nreturn g", env)
  assert(ok and msg == 1 and env.g == 1, "initialising an undefined global")
  ok, msg = run("global g = 2", env)
  assert(not ok and msg == "src:1: global 'g' already defined", "initialising a defined global: " .. tostring(msg))
  assert(env.g == 1, "the failed initialisation left the value")
  env.f = false
  ok, msg = run("global f = 1", env)
  assert(not ok and msg == "src:1: global 'f' already defined", "false counts as defined")
  ok = run("global n\nreturn n", env)
  assert(ok and env.n == nil, "a declaration without initialisation leaves the global unchanged")
  env.kept = "old"
  ok = run("global kept", env)
  assert(ok and env.kept == "old", "declaration keeps the old value")
  ok, msg = run("global a, b = 1, 2, 3\nreturn a + b", env)
  assert(ok and msg == 3 and env.a == 1 and env.b == 2, "multiple initialisation is adjusted")
  ok, msg = run("global c, d = 5\nreturn d", env)
  assert(ok and msg == nil, "missing values are nil")
end

-- global function
do
  local env = {}
  local ok = run("global function gf(x) return x * 2 end", env)
  assert(ok and env.gf(21) == 42, "global function defines a global")
  local ok2, msg = run("global function gf() end", env)
  assert(not ok2 and msg == "src:1: global 'gf' already defined", "global function on a defined name: " .. tostring(msg))
  local ok3, v = run("global function rec(n) if n == 0 then return 0 end return n + rec(n - 1) end\nreturn rec(4)", {})
  assert(ok3 and v == 10, "global function can recurse through its name")
end

-- Scope: a declaration is visible from the next statement to the end of its block.
do
  local m = compile_error("do global Z end\nglobal W\nZ = 1")
  assert(m == "src:3: variable 'Z' not declared", "global declarations are block scoped: " .. m)
  local env = {}
  local ok = run("local function f() global H; H = 1 end\nf()\nreturn H", env)
  assert(ok and env.H == 1, "a declaration inside a function does not affect the chunk")
  -- The default build is LUA_COMPAT_GLOBAL: `global` is a name unless a declaration follows.
  assert(load("local global = 1 return global") ~= nil, "global is not a reserved word")
  assert(load("local t = {global = 1} return t.global") ~= nil, "global is an ordinary field name")
  assert(load("return {['global'] = 1}") ~= nil, "the string 'global' is an ordinary key")
end
