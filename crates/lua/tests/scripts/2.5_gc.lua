-- §2.5 Garbage collection: collectgarbage options, weak tables (keys, values,
-- ephemerons), finalizers (order, resurrection, errors as warnings), and
-- memory being reclaimed. Parameters of "incremental"/"generational"/"param"
-- changed in 5.5 and are not passed here.

local function full() collectgarbage(); collectgarbage() end

-- collectgarbage options and results.
do
  assert(collectgarbage() == 0, "collect returns 0")
  assert(collectgarbage("collect") == 0, "explicit collect returns 0")
  local kb = collectgarbage("count")
  assert(math.type(kb) == "float" and kb > 0, "count is a positive float (KB)")
  assert(collectgarbage("isrunning") == true, "collector running by default")
  collectgarbage("stop")
  assert(collectgarbage("isrunning") == false, "stop")
  collectgarbage("restart")
  assert(collectgarbage("isrunning") == true, "restart")
  assert(type(collectgarbage("step")) == "boolean", "step returns a boolean")
  assert(type(collectgarbage("step", 0)) == "boolean", "basic step")
  assert(type(collectgarbage("step", 1000)) == "boolean", "step with a size")
  local prev = collectgarbage("incremental")
  assert(prev == "incremental" or prev == "generational", "incremental returns the previous mode")
  assert(collectgarbage("generational") == "incremental", "switch to generational")
  assert(collectgarbage("incremental") == "generational", "switch back")
  local ok, msg = pcall(collectgarbage, "bogus")
  assert(not ok and msg:find("bad argument #1 to 'collectgarbage' (invalid option 'bogus')", 1, true), "invalid option: " .. tostring(msg))
end

-- Memory is reclaimed.
do
  full()
  local before = collectgarbage("count")
  do
    local t = {}
    for i = 1, 20000 do t[i] = {i, tostring(i)} end
  end
  full()
  local after = collectgarbage("count")
  assert(after < before + 200, string.format("garbage reclaimed: %.1f KB before, %.1f KB after", before, after))
  -- a loop allocating garbage stays bounded while the collector runs
  local peak = 0
  for i = 1, 200000 do
    local _ = {i}
    if i % 10000 == 0 then peak = math.max(peak, collectgarbage("count")) end
  end
  assert(peak < before + 20000, "automatic collection bounds memory: peak " .. peak .. " KB")
end

-- Weak values.
do
  local cache = setmetatable({}, {__mode = "v"})
  cache.strong_key = {}
  cache[1] = {}
  local kept = {}
  cache.kept = kept
  cache.str = "strings are values, not collectable objects for weakness"
  cache.num = 42
  full()
  assert(cache.strong_key == nil and cache[1] == nil, "unreferenced values removed")
  assert(cache.kept == kept, "referenced value kept")
  assert(cache.str ~= nil and cache.num == 42, "strings and numbers are never removed")
end

-- Weak keys.
do
  local wk = setmetatable({}, {__mode = "k"})
  local live = {}
  wk[live] = "live"
  wk[{}] = "dead"
  wk["str"] = "string key"
  wk[1] = "number key"
  full()
  local n = 0
  for k, v in pairs(wk) do n = n + 1 end
  assert(n == 3 and wk[live] == "live" and wk.str and wk[1], "dead key removed, others kept")
end

-- Ephemerons: a value referring to its own key does not keep the key alive.
do
  local eph = setmetatable({}, {__mode = "k"})
  do
    local k = {}
    eph[k] = {ref = k}
  end
  local k2 = {}
  eph[k2] = {ref = k2}
  full()
  local n = 0
  for k, v in pairs(eph) do n = n + 1; assert(v.ref == k, "surviving entry intact") end
  assert(n == 1, "ephemeron entry with an unreachable key removed")
  -- chains of ephemerons
  local chain = setmetatable({}, {__mode = "k"})
  local head = {}
  local cur = head
  for _ = 1, 10 do local nxt = {}; chain[cur] = nxt; cur = nxt end
  full()
  local len = 0
  cur = head
  while chain[cur] do cur = chain[cur]; len = len + 1 end
  assert(len == 10, "ephemeron chain reachable from a live key survives")
  head = nil
  full()
  assert(next(chain) == nil, "ephemeron chain removed once its head dies")
end

-- Fully weak tables.
do
  local kv = setmetatable({}, {__mode = "kv"})
  local a = {}
  kv[a] = {}
  kv[{}] = a
  kv.x = {}
  full()
  assert(next(kv) == nil, "every entry with a collectable dead part is removed")
end

-- Finalizers.
do
  local order, keep = {}, {}
  for i = 1, 5 do
    keep[i] = setmetatable({}, {__gc = function() order[#order + 1] = i end})
  end
  -- Dropped together, so one cycle finds them all (any step may run between the
  -- calls above).
  keep = nil
  full()
  assert(#order == 5, "all finalizers ran")
  for i = 1, 5 do assert(order[i] == 6 - i, "finalizers run in reverse order of marking") end
  -- __gc must be present when setmetatable is called
  local ran = false
  local mt = {}
  setmetatable({}, mt)
  mt.__gc = function() ran = true end
  full()
  assert(ran == false, "__gc added after setmetatable is not a finalizer")
  -- the finalizer receives the object; resurrection
  local resurrected
  do
    local obj = setmetatable({name = "phoenix"}, {__gc = function(o) resurrected = o end})
  end
  full()
  assert(resurrected and resurrected.name == "phoenix", "finalizer gets the object and can resurrect it")
  local weak = setmetatable({}, {__mode = "v"})
  weak[1] = resurrected
  resurrected = nil
  full()
  assert(weak[1] == nil, "a resurrected object is collected later without running the finalizer again")
  -- resurrected objects are removed from weak values before finalizers run, kept in weak keys
  local wv = setmetatable({}, {__mode = "v"})
  local wk = setmetatable({}, {__mode = "k"})
  local saw_in_values, saw_in_keys
  do
    local o = setmetatable({}, {__gc = function(o) saw_in_values = wv[1]; saw_in_keys = wk[o] end})
    wv[1] = o
    wk[o] = true
  end
  full()
  assert(saw_in_values == nil, "weak values cleared before the finalizer runs")
  assert(saw_in_keys == true, "weak keys of the object kept while finalizing")
  -- errors in finalizers do not propagate (they become warnings)
  setmetatable({}, {__gc = function() error("finalizer error") end})
  local ok = pcall(full)
  assert(ok, "an error in __gc does not propagate to collectgarbage")
  -- finalizers run for objects still alive at state close: not observable here.
end

-- Strings and closures are collected too.
do
  local w = setmetatable({}, {__mode = "k"})
  w[function() end] = true
  local upv = {}
  w[function() return upv end] = true
  full()
  assert(next(w) == nil, "unreferenced closures collected")
  local threads = setmetatable({}, {__mode = "k"})
  threads[coroutine.create(function() coroutine.yield() end)] = true
  local co = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(co)
  threads[co] = true
  full()
  local n = 0
  for _ in pairs(threads) do n = n + 1 end
  assert(n == 1 and threads[co], "unreferenced thread collected, referenced one kept")
end

-- Large weak tables: exactly the unreferenced entries disappear.
do
  local wv = setmetatable({}, {__mode = "v"})
  local wk = setmetatable({}, {__mode = "k"})
  local keep = {}
  for i = 1, 1000 do
    local obj = {i}
    wv[i] = obj
    wk[obj] = i
    if i % 10 == 0 then keep[#keep + 1] = obj end
  end
  full()
  local nv, nk = 0, 0
  for i, obj in pairs(wv) do
    nv = nv + 1
    assert(i % 10 == 0 and obj[1] == i, "surviving weak value " .. i)
  end
  for obj, i in pairs(wk) do
    nk = nk + 1
    assert(i % 10 == 0 and obj[1] == i, "surviving weak key " .. i)
  end
  assert(nv == 100 and nk == 100, "100 survivors in each weak table: " .. nv .. ", " .. nk)
  for i = 1, #keep do assert(wv[keep[i][1]] == keep[i], "kept object " .. i .. " still in the weak table") end
end

-- Finalizers of many objects each run exactly once.
do
  local ran = {}
  for i = 1, 300 do setmetatable({}, {__gc = function() ran[i] = (ran[i] or 0) + 1 end}) end
  full()
  full()
  for i = 1, 300 do assert(ran[i] == 1, "finalizer " .. i .. " ran once") end
end
