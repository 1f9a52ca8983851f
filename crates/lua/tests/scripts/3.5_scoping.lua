-- §3.5 (2.2 in 5.5) Visibility rules: lexical scoping, shadowing, _ENV as an
-- ordinary upvalue, globals through _ENV, load with a custom environment.

-- The manual's scoping example, checked by values instead of print.
do
  local out = {}
  local x = 10
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
  assert(out[1] == 10 and out[2] == 12 and out[3] == 11 and out[4] == 10, "manual's nested scopes")
end

-- A local's scope starts after its declaration statement.
do
  local v = "outer"
  local v = v .. "+inner"
  assert(v == "outer+inner", "right-hand side sees the previous v")
  local function f() return "outer f" end
  local f = function() return f() end
  assert(f() == "outer f", "local f = function sees the previous f")
  local a, b = 1, 2
  local a, b = b, a
  assert(a == 2 and b == 1, "multiple redeclaration")
  local w
  local function g() return w end
  w = 5
  assert(g() == 5, "upvalue sees later assignments")
end

-- Each execution of a local statement creates new variables (manual example).
do
  local a = {}
  local x = 20
  for i = 1, 10 do
    local y = 0
    a[i] = function() y = y + 1; return x + y end
  end
  assert(a[1]() == 21 and a[1]() == 22 and a[2]() == 21, "ten closures with separate y")
  x = 100
  assert(a[3]() == 101, "all closures share x")
end

-- Globals are fields of _ENV.
do
  Scoping_global = 1
  assert(_ENV.Scoping_global == 1 and _G.Scoping_global == 1, "global is a field of _ENV and _G")
  _ENV.Scoping_global = 2
  assert(Scoping_global == 2, "writing _ENV.name changes the global")
  Scoping_global = nil
  assert(_G == _ENV, "_G is the initial environment")
  assert(_G._G == _G, "_G contains itself")
end

-- _ENV is a regular name: it can be a local, a parameter or an upvalue.
do
  local function with_env(env)
    local _ENV = env
    return answer, tostring
  end
  local a, ts = with_env({answer = 42})
  assert(a == 42 and ts == nil, "local _ENV redirects globals")
  local function param(_ENV) return x end
  assert(param({x = "px"}) == "px", "_ENV as a parameter")
  do
    local _ENV = {print = print, assert = assert}
    y_in_env = 5
    assert(y_in_env == 5, "global assignment goes to the local _ENV")
  end
  assert(rawget(_G, "y_in_env") == nil, "the real global table is untouched")
  local _ENV = setmetatable({}, {__index = _G})
  new_global_here = 1
  assert(rawget(_G, "new_global_here") == nil and _ENV.new_global_here == 1, "_ENV with __index to _G")
end

-- load gives chunks their own _ENV.
do
  local env = {}
  local f = assert(load("x = 1; y = x + 1; return y", "=chunk", "t", env))
  assert(f() == 2 and env.x == 1 and env.y == 2, "load with env")
  assert(rawget(_G, "x") == nil, "global table untouched by the loaded chunk")
  local g = assert(load("return print"))
  assert(g() == print, "default env is the global table")
  local h = assert(load("return ...", "=c", "t", nil))
  assert(h(7) == 7, "nil env still runs code that uses no globals")
  local k = assert(load("return undefined_thing", "=c", "t", nil))
  local ok, msg = pcall(k)
  assert(not ok and msg == "c:1: attempt to index a nil value (upvalue '_ENV')", "nil env: " .. tostring(msg))
  local counter_env = setmetatable({}, {__index = function(_, k) return "dyn_" .. k end})
  local d = assert(load("return foo, bar", "=c", "t", counter_env))
  local r1, r2 = d()
  assert(r1 == "dyn_foo" and r2 == "dyn_bar", "env with __index")
  -- a chunk's _ENV is its first upvalue; functions defined inside share it
  local env2 = {}
  local mk = assert(load("function set(v) val = v end; function get() return val end", "=c", "t", env2))
  mk()
  env2.set(9)
  assert(env2.get() == 9 and env2.val == 9, "nested functions use the chunk's _ENV")
end

-- Shadowing across function boundaries.
do
  local n = 1
  local function outer()
    local n = 2
    local function inner() return n end
    return inner()
  end
  assert(outer() == 2, "innermost declaration wins")
  local function param_shadow(n) return n end
  assert(param_shadow(3) == 3 and n == 1, "parameter shadows outer local")
  for n = 5, 5 do assert(n == 5, "loop variable shadows") end
  assert(n == 1, "outer local restored after the loop")
end

-- Many locals and deep blocks.
do
  local src = {}
  for i = 1, 150 do src[#src + 1] = "local v" .. i .. " = " .. i end
  src[#src + 1] = "return v1 + v150"
  assert(load(table.concat(src, "\n"))() == 151, "150 locals in one function")
  local toomany = {}
  for i = 1, 260 do toomany[#toomany + 1] = "local v" .. i .. " = " .. i end
  local f, msg = load(table.concat(toomany, "\n"), "=src")
  assert(f == nil and msg:find("too many local variables", 1, true), "more than 200 locals is an error: " .. tostring(msg))
  local nest = string.rep("do local x = 1 ", 50) .. "return x" .. string.rep(" end", 50)
  assert(load(nest)() == 1, "50 nested blocks")
end

-- Shadowing at every depth: each closure sees the declaration in scope where
-- it was created.
do
  local getters = {}
  local v = 0
  getters[0] = function() return v end
  do local v = 1; getters[1] = function() return v end
    do local v = 2; getters[2] = function() return v end
      do local v = 3; getters[3] = function() return v end
        do local v = 4; getters[4] = function() return v end end
      end
    end
  end
  for depth = 0, 4 do assert(getters[depth]() == depth, "closure at depth " .. depth) end
  -- generated: 30 nested blocks, each shadowing x and capturing it
  local src = {"local fs = {}"}
  for d = 1, 30 do src[#src + 1] = "do local x = " .. d .. "; fs[" .. d .. "] = function() return x end" end
  for _ = 1, 30 do src[#src + 1] = "end" end
  src[#src + 1] = "return fs"
  local fs = assert(load(table.concat(src, "\n")))()
  for d = 1, 30 do assert(fs[d]() == d, "generated closure at depth " .. d) end
end

-- A name becomes global again after the local's block ends.
do
  local f = assert(load([[
    local out = {}
    do local print = "local"; out[1] = print end
    out[2] = type(print)
    local tostring = function() return "mine" end
    out[3] = tostring(1)
    return out
  ]]))
  local out = f()
  assert(out[1] == "local" and out[2] == "function" and out[3] == "mine", "local shadows a global only inside its scope")
end
