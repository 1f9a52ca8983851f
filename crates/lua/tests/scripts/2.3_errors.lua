-- §2.3 Error handling: error values of any type, levels and `chunk:line:`
-- positions, pcall/xpcall, message handlers, assert, errors from metamethods
-- and natives. error(nil) is 5.5-only (5.5_error_nil.lua).

-- Runs `src` as a chunk named "src" and returns pcall's results.
local function run(src, ...)
  local f = assert(load(src, "=src"))
  return pcall(f, ...)
end

-- error with a string adds the position of the level-1 caller.
do
  local ok, msg = run("error('boom')")
  assert(not ok and msg == "src:1: boom", "level 1 is the function calling error: " .. tostring(msg))
  ok, msg = run("\n\nerror('line three')")
  assert(msg == "src:3: line three", "line number: " .. tostring(msg))
  ok, msg = run("error('no position', 0)")
  assert(msg == "no position", "level 0 adds nothing")
  ok, msg = run([[
local function check(x)
  if not x then error("check failed", 2) end
end
local function caller()
  check(false)   -- line 5
end
caller()
]])
  assert(msg == "src:5: check failed", "level 2 points to the caller: " .. tostring(msg))
  ok, msg = run([[
local function lvl3() error("deep", 3) end
local function mid() lvl3() end
local function top()
  mid()          -- line 4
end
top()
]])
  assert(msg == "src:4: deep", "level 3: " .. tostring(msg))
  ok, msg = run("local function f() error('in f') end\nf()")
  assert(msg == "src:1: in f", "position of the error call, not of the caller")
  ok, msg = run("error('x', 1)")
  assert(msg == "src:1: x", "explicit level 1")
end

-- Non-string error values are passed unchanged.
do
  local t = {}
  local ok, e = pcall(error, t)
  assert(not ok and e == t, "table error value")
  ok, e = run("error(42)")
  assert(e == 42 and math.type(e) == "integer", "number error value gets no position")
  ok, e = run("error(4.5)")
  assert(e == 4.5, "float error value")
  ok, e = run("error(false)")
  assert(ok == false and e == false, "false error value")
  ok, e = run("error(true)")
  assert(e == true, "true error value")
  local co = coroutine.create(print)
  ok, e = pcall(error, co)
  assert(e == co, "thread error value")
  ok, e = pcall(error, print)
  assert(e == print, "function error value")
  local obj = setmetatable({}, {__tostring = function() return "custom error" end})
  ok, e = pcall(error, obj)
  assert(e == obj and tostring(e) == "custom error", "error object with __tostring")
  ok, e = run("error({code = 7}, 2)")
  assert(type(e) == "table" and e.code == 7, "level ignored for tables")
end

-- pcall
do
  assert(select("#", pcall(function() end)) == 1, "pcall with no results returns just true")
  local a, b, c = pcall(function(x, y) return x + y, x * y end, 3, 4)
  assert(a == true and b == 7 and c == 12, "pcall passes arguments and returns results")
  local ok, msg = pcall(nil)
  assert(not ok and msg == "attempt to call a nil value", "pcall of nil: " .. tostring(msg))
  ok, msg = pcall({})
  assert(not ok and msg == "attempt to call a table value", "pcall of a table")
  local ok1, ok2, v = pcall(pcall, error, "inner")
  assert(ok1 == true and ok2 == false and v == "inner", "nested pcall")
  local depth = 0
  local function nest(n)
    if n == 0 then error("bottom", 0) end
    local ok, e = pcall(nest, n - 1)
    depth = depth + 1
    error(e, 0)
  end
  ok, msg = pcall(nest, 50)
  assert(not ok and msg == "bottom" and depth == 50, "error rethrown through 50 pcalls")
  -- the state is intact after an error
  local t = {}
  pcall(function() t.x = 1; error("after set") end)
  assert(t.x == 1, "side effects before the error remain")
  ok, msg = pcall(error)
  assert(ok == false, "error without arguments fails the pcall")
  local r = table.pack(pcall(function() return nil, nil end))
  assert(r.n == 3 and r[1] == true, "trailing nil results kept")
end

-- xpcall and message handlers
do
  local ok, v = xpcall(function() error("oops") end, function(m) return "handled: " .. m end)
  assert(not ok and v:match("^handled: .*oops$"), "handler transforms the message")
  local a, b, c = xpcall(function(x, y) return x, y end, print, "p", "q")
  assert(a == true and b == "p" and c == "q", "xpcall passes extra arguments")
  local got
  ok, v = xpcall(function() error({tag = 1}) end, function(e) got = e; return "replaced" end)
  assert(got.tag == 1 and v == "replaced", "handler gets the original error value")
  ok, v = xpcall(function() local x = nil; return x.field end, function(m) return m end)
  assert(not ok and v:find("attempt to index a nil value (local 'x')", 1, true), "handler sees runtime errors")
  ok, v = xpcall(error, function(m) return m end, "direct")
  assert(not ok and v == "direct", "xpcall of a native function")
  ok, v = xpcall(function() error("tb") end, debug.traceback)
  assert(not ok and v:find("tb", 1, true) and v:find("stack traceback:", 1, true), "debug.traceback as handler")
  -- the handler runs before the stack unwinds
  local level_info
  xpcall(function() local marker = "here"; error("x") end, function() level_info = debug.getinfo(2, "l"); return 0 end)
  assert(level_info and level_info.currentline, "handler runs at the error point")
  ok, v = xpcall(function() return "fine" end, error)
  assert(ok and v == "fine", "handler not called on success")
  local ok2, e2 = pcall(xpcall, function() end)
  assert(not ok2 and e2:find("bad argument #2 to 'xpcall' (function expected, got no value)", 1, true), "xpcall needs a handler: " .. tostring(e2))
  local results = table.pack(xpcall(function() error("multi") end, function() return 1, 2, 3 end))
  assert(results[1] == false and results[2] == 1, "handler result")
end

-- assert
do
  local a, b, c = assert(1, 2, 3)
  assert(a == 1 and b == 2 and c == 3, "assert returns all its arguments")
  local ok, msg = pcall(assert, false)
  assert(not ok and msg == "assertion failed!", "default message")
  ok, msg = pcall(assert, nil, "custom")
  assert(msg == "custom", "custom message has no position")
  local t = {}
  ok, msg = pcall(assert, false, t)
  assert(msg == t, "non-string message passed unchanged")
  ok, msg = pcall(assert)
  assert(not ok and msg:find("bad argument #1 to 'assert' (value expected)", 1, true), "assert without arguments: " .. tostring(msg))
  assert(select("#", assert(0)) == 1, "assert(0) passes")
end

-- Runtime error positions come from the line of the failing instruction.
do
  local ok, msg = run("local t = nil\nlocal x = 1\nreturn t.x")
  assert(msg == "src:3: attempt to index a nil value (local 't')", "position of a runtime error: " .. tostring(msg))
  ok, msg = run("return 1 +\n\n nil")
  assert(msg:match("^src:%d+: attempt to perform arithmetic on a nil value$"), "multi-line expression")
  ok, msg = run("local s = ('x'):rep(3)\nreturn s:bad()")
  assert(msg == "src:2: attempt to call a nil value (method 'bad')", "method error position")
  ok, msg = run("string.rep()")
  assert(msg == "src:1: bad argument #1 to 'rep' (string expected, got no value)", "native argument error gets the caller's position: " .. tostring(msg))
  ok, msg = run("local t = setmetatable({}, {__index = function() error('from index') end})\nreturn t.x")
  assert(msg == "src:1: from index", "error inside a metamethod has the metamethod's position")
  ok, msg = run("local t = setmetatable({}, {__add = function(a, b) return a.x.y end})\nreturn t + 1")
  assert(msg == "src:1: attempt to index a nil value (field 'x')", "runtime error inside a metamethod")
end

-- Errors in natives called with pcall directly have no position.
do
  local ok, msg = pcall(string.rep)
  assert(not ok and msg == "bad argument #1 to 'string.rep' (string expected, got no value)", "a native called by pcall is named by its global name: " .. tostring(msg))
  ok, msg = pcall(setmetatable, 1)
  assert(not ok and msg:find("bad argument #1 to", 1, true), "setmetatable via pcall")
end

-- Error values survive coroutine boundaries.
do
  local co = coroutine.create(function() error({kind = "co"}) end)
  local ok, e = coroutine.resume(co)
  assert(not ok and e.kind == "co", "error from a coroutine")
  assert(coroutine.status(co) == "dead", "coroutine is dead after an error")
  local ok2, e2 = coroutine.resume(co)
  assert(not ok2 and e2 == "cannot resume dead coroutine", "resuming a dead coroutine")
end

-- String errors with positions work for chunks with other names.
do
  local f = assert(load("error('named')", "@myfile.lua"))
  local ok, msg = pcall(f)
  assert(msg == "myfile.lua:1: named", "'@' chunk names are file names")
  f = assert(load("error('str')", "some code"))
  ok, msg = pcall(f)
  assert(msg == '[string "some code"]:1: str', "string chunk names are quoted: " .. msg)
  f = assert(load("\nerror('str')", "line1\nline2"))
  ok, msg = pcall(f)
  assert(msg == '[string "line1..."]:2: str', "multi-line chunk names are cut at the newline: " .. msg)
  f = assert(load("error('s')"))
  ok, msg = pcall(f)
  assert(msg == '[string "error(\'s\')"]:1: s', "default chunk name is the source: " .. msg)
end
