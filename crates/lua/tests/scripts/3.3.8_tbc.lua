-- §3.3.8 To-be-closed variables: closing order, every way of leaving a scope,
-- errors in and out of __close, nil/false values, and coroutines.
-- Only the value of the error argument is checked, not the argument count
-- (5.4 passes an explicit nil, the 5.5 manual says there is no argument).

local log
local function reset() log = {} end
local function closer(name)
  return setmetatable({}, {__close = function(self, e)
    log[#log + 1] = name .. (e == nil and "" or ":" .. tostring(e))
  end})
end
local function logged(...)
  local expect = {...}
  assert(#log == #expect, "expected " .. #expect .. " closes, got " .. #log .. " (" .. table.concat(log, ",") .. ")")
  for i = 1, #expect do
    assert(log[i] == expect[i], "close " .. i .. ": got " .. tostring(log[i]) .. ", expected " .. expect[i])
  end
end

-- Normal block exit, reverse order.
do
  reset()
  do
    local a <close> = closer("a")
    local b <close> = closer("b")
    local c <close> = closer("c")
    assert(#log == 0, "nothing closed inside the block")
  end
  logged("c", "b", "a")
end

-- The closed value is the variable's value, passed as the first argument.
do
  local got
  local v = setmetatable({}, {__close = function(self) got = self end})
  do local x <close> = v end
  assert(got == v, "__close gets the value")
end

-- break, goto, return, and loops.
do
  reset()
  for i = 1, 3 do
    local x <close> = closer("it" .. i)
    if i == 2 then break end
  end
  logged("it1", "it2")
  reset()
  do
    local y <close> = closer("g")
    goto out
  end
  ::out::
  logged("g")
  reset()
  local function f()
    local a <close> = closer("fa")
    do
      local b <close> = closer("fb")
      return "result", 2
    end
  end
  local r1, r2 = f()
  assert(r1 == "result" and r2 == 2, "return values survive closing")
  logged("fb", "fa")
  reset()
  local i = 0
  while true do
    i = i + 1
    local w <close> = closer("w" .. i)
    if i == 3 then break end
  end
  logged("w1", "w2", "w3")
  reset()
  local n = 0
  repeat
    n = n + 1
    local r <close> = closer("r" .. n)
  until n == 2
  logged("r1", "r2")
  -- return of a call: the tbc variable is closed after the call returns
  reset()
  local function inner() log[#log + 1] = "inner ran"; return "v" end
  local function outer()
    local o <close> = closer("o")
    return inner()
  end
  assert(outer() == "v", "tail-position call result")
  logged("inner ran", "o")
end

-- nil and false are ignored; other non-closable values are errors.
do
  do local a <close> = nil; local b <close> = false end
  local ok, msg = pcall(function() local x <close> = {} end)
  assert(not ok and msg:find("variable 'x' got a non-closable value", 1, true), "table without __close: " .. tostring(msg))
  ok, msg = pcall(function() local y <close> = 42 end)
  assert(not ok and msg:find("variable 'y' got a non-closable value", 1, true), "number")
  local f, cmsg = load("local z <close> = closer(); z = 1", "=src")
  assert(f == nil and cmsg == "src:1: attempt to assign to const variable 'z'", "tbc variables are constants")
  -- the error is raised at the declaration, and earlier tbc values are closed
  reset()
  ok, msg = pcall(function()
    local a <close> = closer("before")
    local bad <close> = "string"
    log[#log + 1] = "not reached"
  end)
  assert(not ok, "non-closable value raises")
  assert(log[1] and log[1]:match("^before:"), "earlier variable closed with the error")
  assert(#log == 1, "code after the bad declaration did not run")
end

-- Errors: __close gets the error; errors in __close replace it.
do
  reset()
  local ok, e = pcall(function()
    local a <close> = closer("a")
    local b <close> = closer("b")
    error("boom", 0)
  end)
  assert(not ok and e == "boom", "original error propagates")
  logged("b:boom", "a:boom")
  reset()
  ok, e = pcall(function()
    local a <close> = closer("a")
    local b <close> = setmetatable({}, {__close = function() error("close error", 0) end})
    local c <close> = closer("c")
    error("first", 0)
  end)
  assert(not ok and e == "close error", "an error in __close replaces the original error")
  logged("c:first", "a:close error")
  reset()
  ok, e = pcall(function()
    local a <close> = closer("a")
    local b <close> = setmetatable({}, {__close = function() error("only close error", 0) end})
  end)
  assert(not ok and e == "only close error", "an error while closing normally")
  logged("a:only close error")
  -- error objects of any type
  reset()
  local obj = {}
  ok, e = pcall(function() local a <close> = setmetatable({}, {__close = function(_, err) log[1] = err end}); error(obj) end)
  assert(e == obj and log[1] == obj, "table error passed to __close")
  -- runtime errors carry their position
  reset()
  ok, e = pcall(function() local a <close> = closer("rt"); local t = nil; return t.x end)
  assert(not ok and log[1]:find("attempt to index a nil value", 1, true), "runtime error passed to __close")
end

-- Closing inside nested pcall levels.
do
  reset()
  local ok = pcall(function()
    local outer <close> = closer("outer")
    local ok2, e2 = pcall(function()
      local inner <close> = closer("inner")
      error("inner error", 0)
    end)
    assert(not ok2 and e2 == "inner error", "inner pcall caught its error")
    log[#log + 1] = "between"
  end)
  assert(ok, "outer pcall succeeded")
  logged("inner:inner error", "between", "outer")
end

-- To-be-closed variables in coroutines.
do
  reset()
  local co = coroutine.wrap(function()
    local a <close> = closer("co-a")
    coroutine.yield(1)
    local b <close> = closer("co-b")
    coroutine.yield(2)
    return 3
  end)
  assert(co() == 1 and #log == 0, "suspended coroutine keeps its variables open")
  assert(co() == 2 and #log == 0, "still open")
  assert(co() == 3, "coroutine finished")
  logged("co-b", "co-a")
  -- yield inside __close
  reset()
  local co2 = coroutine.wrap(function()
    do
      local a <close> = setmetatable({}, {__close = function() log[#log + 1] = "before yield"; coroutine.yield("from close"); log[#log + 1] = "after yield" end})
    end
    return "end"
  end)
  assert(co2() == "from close", "__close can yield")
  assert(co2() == "end", "block finishes after resuming the close")
  logged("before yield", "after yield")
  -- coroutine.wrap closes variables when the body fails
  reset()
  local co3 = coroutine.wrap(function()
    local a <close> = closer("w")
    coroutine.yield()
    error("wrap failure", 0)
  end)
  co3()
  local ok, e = pcall(co3)
  assert(not ok and e == "wrap failure", "wrap error propagates")
  logged("w:wrap failure")
  -- coroutine.create does not close on error; coroutine.close does
  reset()
  local co4 = coroutine.create(function()
    local a <close> = closer("c4")
    error("c4 failure", 0)
  end)
  local ok4, e4 = coroutine.resume(co4)
  assert(not ok4 and e4 == "c4 failure", "resume reports the error")
  assert(#log == 0, "a failed coroutine does not close its variables by itself")
  local okc, ec = coroutine.close(co4)
  assert(okc == false and ec == "c4 failure", "close returns the original error")
  logged("c4:c4 failure")
end

-- Generic-for closing value (fourth value) is a to-be-closed variable.
do
  reset()
  for _ in function(_, c) if not c then return 1 end end, nil, nil, closer("for") do end
  logged("for")
  reset()
  local ok = pcall(function()
    for _ in function() return 1 end, nil, nil, closer("for-err") do error("in loop", 0) end
  end)
  assert(not ok, "error inside the loop")
  logged("for-err:in loop")
end

-- Many to-be-closed variables in one scope close in exact reverse order,
-- on normal exit and on error.
do
  for _, fail in ipairs({false, true}) do
    local src = {"local closer, fail = ..."}
    for i = 1, 40 do src[#src + 1] = "local v" .. i .. " <close> = closer('" .. i .. "')" end
    src[#src + 1] = "if fail then error('stop', 0) end"
    reset()
    local ok, e = pcall(assert(load(table.concat(src, "\n"))), closer, fail)
    assert(ok == not fail and (ok or e == "stop"), "40 variables, fail = " .. tostring(fail))
    assert(#log == 40, "all 40 closed")
    for i = 1, 40 do
      local expect = tostring(41 - i) .. (fail and ":stop" or "")
      assert(log[i] == expect, "close order " .. i .. ": " .. tostring(log[i]))
    end
  end
end
