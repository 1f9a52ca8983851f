-- §2.6 Coroutines: resume/yield value passing, yields across pcall, metamethods
-- and for-iterators, errors, wrap, status, isyieldable, C-call boundaries.
-- Closing the running coroutine differs between 5.4 and 5.5 and is not tested here.

-- Manual's example, checked by collecting values instead of printing.
do
  local log = {}
  local function foo(a)
    log[#log + 1] = "foo " .. a
    return coroutine.yield(2 * a)
  end
  local co = coroutine.create(function(a, b)
    log[#log + 1] = "co-body " .. a .. " " .. b
    local r = foo(a + 1)
    log[#log + 1] = "co-body " .. r
    local r2, s = coroutine.yield(a + b, a - b)
    log[#log + 1] = "co-body " .. r2 .. " " .. s
    return b, "end"
  end)
  local function res(...) return table.pack(coroutine.resume(co, ...)) end
  local r1 = res(1, 10)
  assert(r1.n == 2 and r1[1] == true and r1[2] == 4, "first resume yields 4")
  local r2 = res("r")
  assert(r2.n == 3 and r2[2] == 11 and r2[3] == -9, "second resume yields 11, -9")
  local r3 = res("x", "y")
  assert(r3.n == 3 and r3[2] == 10 and r3[3] == "end", "third resume returns 10, end")
  local r4 = res("x", "y")
  assert(r4[1] == false and r4[2] == "cannot resume dead coroutine", "fourth resume fails")
  local expect = {"co-body 1 10", "foo 2", "co-body r", "co-body x y"}
  for i = 1, #expect do assert(log[i] == expect[i], "log line " .. i) end
end

-- Value passing counts.
do
  local co = coroutine.create(function(...)
    local n = select("#", ...)
    local m = select("#", coroutine.yield(n))
    return m
  end)
  local _, n = coroutine.resume(co, nil, nil, nil)
  assert(n == 3, "resume arguments including nils reach the body")
  local _, m = coroutine.resume(co)
  assert(m == 0, "resume with no values gives yield no results")
  local co2 = coroutine.create(function() coroutine.yield() end)
  assert(select("#", coroutine.resume(co2)) == 1, "empty yield gives only true")
  local co3 = coroutine.create(function() return end)
  assert(select("#", coroutine.resume(co3)) == 1, "empty return gives only true")
  local big = {}
  for i = 1, 200 do big[i] = i end
  local co4 = coroutine.create(function(...) return select("#", coroutine.yield(...)) end)
  local r = table.pack(coroutine.resume(co4, table.unpack(big)))
  assert(r.n == 201 and r[201] == 200, "200 yielded values")
  local _, cnt = coroutine.resume(co4, table.unpack(big))
  assert(cnt == 200, "200 resumed values")
end

-- Generators.
do
  local function gen(n)
    return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
  end
  local sum = 0
  for v in gen(100) do sum = sum + v end
  assert(sum == 5050, "wrap as a generic-for iterator")
  -- permutations generator (recursive yields through nested Lua calls)
  local function permgen(a, n)
    n = n or #a
    if n <= 1 then coroutine.yield(a) else
      for i = 1, n do
        a[n], a[i] = a[i], a[n]
        permgen(a, n - 1)
        a[n], a[i] = a[i], a[n]
      end
    end
  end
  local count, seen = 0, {}
  for p in coroutine.wrap(function() permgen({1, 2, 3, 4}) end) do
    count = count + 1
    seen[table.concat(p)] = true
  end
  local distinct = 0
  for _ in pairs(seen) do distinct = distinct + 1 end
  assert(count == 24 and distinct == 24, "24 distinct permutations")
end

-- Yield across pcall and xpcall.
do
  local co = coroutine.create(function()
    local ok, v = pcall(function()
      local x = coroutine.yield("in pcall")
      error("after " .. x, 0)
    end)
    coroutine.yield(ok, v)
    local ok2, v2 = xpcall(function() return coroutine.yield("in xpcall") * 2 end, debug.traceback)
    return ok2, v2
  end)
  local _, a = coroutine.resume(co)
  assert(a == "in pcall", "yield inside pcall")
  local _, ok, v = coroutine.resume(co, "resume")
  assert(ok == false and v == "after resume", "error after yield caught by pcall")
  local _, b = coroutine.resume(co)
  assert(b == "in xpcall", "yield inside xpcall")
  local _, ok2, v2 = coroutine.resume(co, 21)
  assert(ok2 == true and v2 == 42, "xpcall result after yield")
  -- nested pcalls with yields
  local co2 = coroutine.wrap(function()
    return pcall(pcall, function() return coroutine.yield(1) + coroutine.yield(2) end)
  end)
  assert(co2() == 1 and co2(10) == 2, "yields inside nested pcall")
  local ok3, ok4, sum = co2(20)
  assert(ok3 == true and ok4 == true and sum == 30, "nested pcall results")
  -- error handler runs inside the coroutine
  local co3 = coroutine.wrap(function()
    return xpcall(function() coroutine.yield("y"); error("e", 0) end, function(m) return "h:" .. m end)
  end)
  assert(co3() == "y", "yield before error in xpcall")
  local okh, vh = co3()
  assert(okh == false and vh == "h:e", "handler after resume")
end

-- Yield inside metamethods called by the VM.
do
  local mt = {
    __index = function(t, k) return coroutine.yield("index " .. k) end,
    __newindex = function(t, k, v) rawset(t, k, coroutine.yield("newindex " .. k)) end,
    __add = function(a, b) return coroutine.yield("add") end,
    __lt = function(a, b) return coroutine.yield("lt") end,
    __le = function(a, b) return coroutine.yield("le") end,
    __eq = function(a, b) return coroutine.yield("eq") end,
    __concat = function(a, b) return coroutine.yield("concat") end,
    __len = function(a) return coroutine.yield("len") end,
    __call = function(self, x) return coroutine.yield("call " .. x) end,
    __unm = function(a) return coroutine.yield("unm") end,
  }
  local obj = setmetatable({}, mt)
  local other = setmetatable({}, mt)
  local co = coroutine.wrap(function()
    local r = {}
    r[#r + 1] = obj.foo
    obj.bar = "ignored"
    r[#r + 1] = rawget(obj, "bar")
    r[#r + 1] = obj + 1
    r[#r + 1] = obj < other
    r[#r + 1] = obj <= other
    r[#r + 1] = obj == other
    r[#r + 1] = obj .. "x"
    r[#r + 1] = #obj
    r[#r + 1] = obj(5)
    r[#r + 1] = -obj
    return "done", r
  end)
  local expect_yields = {"index foo", "newindex bar", "add", "lt", "le", "eq", "concat", "len", "call 5", "unm"}
  local answers = {"A", "B", "C", false, 1, nil, "D", 9, "E", "F"}
  assert(co() == expect_yields[1], "first yield from __index")
  local last, r
  for i = 2, #expect_yields do
    local y = co(answers[i - 1])
    assert(y == expect_yields[i], "yield " .. i .. " from " .. expect_yields[i] .. ": got " .. tostring(y))
  end
  last, r = co(answers[#answers])
  assert(last == "done", "body finished")
  assert(r[1] == "A" and r[2] == "B" and r[3] == "C", "__index/__newindex/__add results")
  assert(r[4] == false and r[5] == true and r[6] == false, "comparison results converted to booleans")
  assert(r[7] == "D" and r[8] == 9 and r[9] == "E" and r[10] == "F", "other results")
end

-- Yield inside a generic-for iterator function and across nested Lua calls.
do
  local co = coroutine.wrap(function()
    local s = 0
    for v in function(_, c) c = c + 1; if c <= 3 then coroutine.yield("it" .. c); return c end end, nil, 0 do
      s = s + v
    end
    return s
  end)
  assert(co() == "it1" and co() == "it2" and co() == "it3", "yield from an iterator")
  assert(co() == 6, "loop completes after yields")
  local function deep(n) if n == 0 then return coroutine.yield("bottom") end return deep(n - 1) + 1 end
  local co2 = coroutine.wrap(function() return deep(100) end)
  assert(co2() == "bottom" and co2(0) == 100, "yield from 100 Lua frames deep")
end

-- Yields across a C-call boundary are errors.
do
  local co = coroutine.create(function()
    table.sort({3, 2, 1}, function(a, b) coroutine.yield(); return a < b end)
  end)
  local ok, msg = coroutine.resume(co)
  assert(not ok and msg:find("attempt to yield across a C-call boundary", 1, true), "yield in a sort comparator: " .. tostring(msg))
  local co2 = coroutine.create(function()
    return (string.gsub("abc", "%w", function(c) coroutine.yield(c) end))
  end)
  ok, msg = coroutine.resume(co2)
  assert(not ok and msg:find("attempt to yield across a C-call boundary", 1, true), "yield in a gsub callback")
  local co3 = coroutine.create(function()
    return tostring(setmetatable({}, {__tostring = function() coroutine.yield() return "" end}))
  end)
  ok, msg = coroutine.resume(co3)
  assert(not ok and msg:find("attempt to yield across a C-call boundary", 1, true), "yield in __tostring")
  ok, msg = pcall(coroutine.yield, 1)
  assert(not ok and msg == "attempt to yield from outside a coroutine", "yield from the main thread: " .. tostring(msg))
end

-- Errors inside coroutines.
do
  local co = coroutine.create(function() local x = nil; return x.y end)
  local ok, msg = coroutine.resume(co)
  assert(not ok and msg:find("attempt to index a nil value (local 'x')", 1, true), "runtime error in a coroutine")
  assert(coroutine.status(co) == "dead", "dead after error")
  local wrapped = coroutine.wrap(function() error("wrapped failure") end)
  ok, msg = pcall(wrapped)
  assert(not ok and msg:find("wrapped failure", 1, true), "wrap propagates errors")
  local wt = coroutine.wrap(function() error({code = 1}) end)
  ok, msg = pcall(wt)
  assert(not ok and type(msg) == "table" and msg.code == 1, "wrap propagates non-string errors unchanged")
  local w2 = coroutine.wrap(function() end)
  w2()
  ok, msg = pcall(w2)
  assert(not ok and msg:find("cannot resume dead coroutine", 1, true), "calling a finished wrap")
  -- resuming itself / a normal coroutine
  local self_co
  self_co = coroutine.create(function() return coroutine.resume(self_co) end)
  local _, ok2, msg2 = coroutine.resume(self_co)
  assert(ok2 == false and msg2 == "cannot resume non-suspended coroutine", "resume the running coroutine")
  local outer
  outer = coroutine.create(function()
    local inner = coroutine.create(function() return coroutine.resume(outer) end)
    return coroutine.resume(inner)
  end)
  local _, _, ok3, msg3 = coroutine.resume(outer)
  assert(ok3 == false and msg3 == "cannot resume non-suspended coroutine", "resume a normal coroutine")
end

-- Many coroutines alive at once.
do
  local cos = {}
  for i = 1, 500 do
    cos[i] = coroutine.create(function(a) local b = coroutine.yield(a * 2); return a + b end)
  end
  for i = 1, 500 do
    local _, v = coroutine.resume(cos[i], i)
    assert(v == i * 2, "first resume of coroutine " .. i)
  end
  for i = 500, 1, -1 do
    local _, v = coroutine.resume(cos[i], 1)
    assert(v == i + 1, "second resume of coroutine " .. i)
    assert(coroutine.status(cos[i]) == "dead", "coroutine " .. i .. " finished")
  end
end
