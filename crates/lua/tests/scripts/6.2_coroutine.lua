-- §6.2 The coroutine library: create, resume, yield, status, running,
-- isyieldable, wrap, close, and argument errors.

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

-- create
do
  local co = coroutine.create(function() end)
  assert(type(co) == "thread", "create returns a thread")
  assert(coroutine.status(co) == "suspended", "a new coroutine is suspended")
  local co2 = coroutine.create(type)
  local ok, t = coroutine.resume(co2, 1)
  assert(ok and t == "number" and coroutine.status(co2) == "dead", "a native function can be a coroutine body")
  err(function() coroutine.create(1) end, "bad argument #1 to 'create' (function expected, got number)", "create with a number")
  err(function() coroutine.create() end, "bad argument #1 to 'create' (function expected, got no value)", "create with nothing")
end

-- status in every state
do
  local main = coroutine.running()
  local inner_status, outer_status_seen_from_inner
  local outer
  outer = coroutine.create(function()
    assert(coroutine.status(outer) == "running", "running inside itself")
    local inner = coroutine.create(function()
      outer_status_seen_from_inner = coroutine.status(outer)
      coroutine.yield()
    end)
    coroutine.resume(inner)
    inner_status = coroutine.status(inner)
    coroutine.yield()
  end)
  assert(coroutine.status(outer) == "suspended", "suspended before start")
  coroutine.resume(outer)
  assert(outer_status_seen_from_inner == "normal", "normal while it resumes another")
  assert(inner_status == "suspended", "suspended after yield")
  assert(coroutine.status(outer) == "suspended", "suspended after yield (outer)")
  coroutine.resume(outer)
  assert(coroutine.status(outer) == "dead", "dead after return")
  assert(coroutine.status(main) == "running", "the main thread is running")
  err(function() coroutine.status(1) end, "bad argument #1 to 'status' (thread expected, got number)", "status of a number")
end

-- running and isyieldable
do
  local main, ismain = coroutine.running()
  assert(type(main) == "thread" and ismain == true, "running in the main thread")
  assert(coroutine.isyieldable() == false, "main thread is not yieldable")
  local co
  co = coroutine.create(function()
    local me, im = coroutine.running()
    assert(me == co and im == false, "running inside a coroutine")
    assert(coroutine.isyieldable() == true, "a coroutine is yieldable")
    assert(coroutine.isyieldable(co) == true, "isyieldable with an explicit coroutine")
    assert(coroutine.isyieldable(main) == false, "isyieldable(main) from a coroutine")
    return "ok"
  end)
  local ok, v = coroutine.resume(co)
  assert(ok and v == "ok", "checks inside the coroutine: " .. tostring(v))
  local not_yieldable
  local co2 = coroutine.create(function()
    table.sort({1, 2}, function(a, b) not_yieldable = coroutine.isyieldable(); return a < b end)
  end)
  coroutine.resume(co2)
  assert(not_yieldable == false, "not yieldable inside a native callback")
end

-- resume
do
  err(function() coroutine.resume(1) end, "bad argument #1 to 'resume' (thread expected, got number)", "resume a number")
  local co = coroutine.create(function() return 1 end)
  assert(select("#", coroutine.resume(co)) == 2, "resume returns true plus results")
  local ok, msg = coroutine.resume(co)
  assert(ok == false and msg == "cannot resume dead coroutine", "resume a dead coroutine")
  local main = coroutine.running()
  ok, msg = coroutine.resume(main)
  assert(ok == false and msg == "cannot resume non-suspended coroutine", "resume the main thread")
end

-- wrap
do
  local gen = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
  assert(gen(1) == 2 and gen(5) == 10, "wrap passes values both ways")
  assert(type(gen) == "function", "wrap returns a function")
  err(function() coroutine.wrap(1) end, "bad argument #1 to 'wrap' (function expected, got number)", "wrap a number")
  local failing = coroutine.wrap(function() error("inside", 0) end)
  local ok, msg = pcall(failing)
  assert(not ok and msg == "inside", "error with level 0 from wrap: " .. tostring(msg))
  local w = coroutine.wrap(function() local t = nil; return t.x end)
  ok, msg = pcall(w)
  assert(not ok and msg:find("attempt to index a nil value (local 't')", 1, true), "runtime error from wrap")
  -- a wrap whose body failed is dead
  ok, msg = pcall(failing)
  assert(not ok and msg:find("cannot resume dead coroutine", 1, true), "failed wrap is dead")
end

-- close
do
  local co = coroutine.create(function() coroutine.yield() end)
  assert(coroutine.close(co) == true, "close a never-started coroutine")
  assert(coroutine.status(co) == "dead", "closed coroutine is dead")
  co = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(co)
  assert(coroutine.close(co) == true and coroutine.status(co) == "dead", "close a suspended coroutine")
  co = coroutine.create(function() error({e = 1}) end)
  coroutine.resume(co)
  local ok, e = coroutine.close(co)
  assert(ok == false and type(e) == "table" and e.e == 1, "close a coroutine that died by error returns the error")
  co = coroutine.create(function() return 1 end)
  coroutine.resume(co)
  assert(coroutine.close(co) == true, "close a coroutine that finished normally")
  -- close runs pending to-be-closed variables
  local closed = {}
  co = coroutine.create(function()
    local a <close> = setmetatable({}, {__close = function(_, e) closed[#closed + 1] = "a:" .. tostring(e) end})
    local b <close> = setmetatable({}, {__close = function(_, e) closed[#closed + 1] = "b:" .. tostring(e) end})
    coroutine.yield()
  end)
  coroutine.resume(co)
  assert(#closed == 0, "nothing closed while suspended")
  assert(coroutine.close(co) == true, "close with pending tbc variables")
  assert(closed[1] == "b:nil" and closed[2] == "a:nil", "tbc variables closed in reverse order without error")
  -- an error in a __close during coroutine.close is returned
  co = coroutine.create(function()
    local a <close> = setmetatable({}, {__close = function() error("close failed", 0) end})
    coroutine.yield()
  end)
  coroutine.resume(co)
  local ok2, e2 = coroutine.close(co)
  assert(ok2 == false and e2 == "close failed", "error in __close returned by close")
  -- a normal coroutine cannot be closed
  local outer
  outer = coroutine.create(function()
    local inner = coroutine.create(function() return pcall(coroutine.close, outer) end)
    return coroutine.resume(inner)
  end)
  local _, _, okc, msgc = coroutine.resume(outer)
  assert(okc == false and msgc:find("cannot close a normal coroutine", 1, true), "close a normal coroutine: " .. tostring(msgc))
  err(function() coroutine.close(1) end, "bad argument #1 to 'close' (thread expected, got number)", "close a number")
end

-- yield
do
  local co = coroutine.create(function(...) return coroutine.yield(...) end)
  local r = table.pack(coroutine.resume(co, 1, nil, 3))
  assert(r.n == 4 and r[2] == 1 and r[3] == nil and r[4] == 3, "yield passes its arguments to resume")
  r = table.pack(coroutine.resume(co, "a", "b"))
  assert(r.n == 3 and r[2] == "a" and r[3] == "b", "resume passes its arguments to yield")
end

-- status through a whole life cycle, for coroutines of several depths.
do
  for depth = 1, 10 do
    local statuses = {}
    local chain = {}
    for i = 1, depth do
      chain[i] = coroutine.create(function()
        if i < depth then
          coroutine.resume(chain[i + 1])
        else
          for j = 1, depth - 1 do statuses[j] = coroutine.status(chain[j]) end
          statuses[depth] = coroutine.status(chain[depth])
        end
        coroutine.yield(i)
        return i
      end)
    end
    local ok, v = coroutine.resume(chain[1])
    assert(ok and v == 1, "outermost yields, depth " .. depth)
    for j = 1, depth - 1 do assert(statuses[j] == "normal", "normal at level " .. j .. " of " .. depth) end
    assert(statuses[depth] == "running", "running innermost, depth " .. depth)
    for j = 1, depth do
      assert(coroutine.status(chain[j]) == "suspended", "suspended after the chain yields, level " .. j)
    end
  end
end
