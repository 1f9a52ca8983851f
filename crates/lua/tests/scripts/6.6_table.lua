-- §6.6 Table manipulation: concat, insert, move, pack, remove, sort, unpack.
-- table.create is 5.5-only (5.5_table_create.lua).

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

local function seq(t, n) n = n or #t; local p = {} for i = 1, n do p[i] = tostring(t[i]) end return table.concat(p, ",") end

-- concat
do
  assert(table.concat({}) == "", "empty list")
  assert(table.concat({"a", "b", "c"}) == "abc", "default separator is empty")
  assert(table.concat({"a", "b", "c"}, ", ") == "a, b, c", "separator")
  assert(table.concat({1, 2.5, "x"}, "-") == "1-2.5-x", "numbers are converted")
  assert(table.concat({"a", "b", "c"}, ",", 2) == "b,c", "i")
  assert(table.concat({"a", "b", "c"}, ",", 2, 2) == "b", "i == j")
  assert(table.concat({"a", "b", "c"}, ",", 3, 2) == "", "i > j gives the empty string")
  assert(table.concat({[5] = "x", [6] = "y"}, "", 5, 6) == "xy", "explicit range outside the sequence")
  assert(table.concat({"a", "b"}, "\0") == "a\0b", "zero byte separator")
  local proxy = setmetatable({}, {__index = function(_, i) return "p" .. i end, __len = function() return 3 end})
  assert(table.concat(proxy, ",") == "p1,p2,p3", "concat respects __index and __len")
  local big = {}
  for i = 1, 10000 do big[i] = "x" end
  assert(#table.concat(big) == 10000, "long concat")
  local ok, msg = pcall(table.concat, {1, {}, 3})
  assert(not ok and msg:find("invalid value", 1, true) and msg:find("index 2", 1, true) and msg:find("'concat'", 1, true), "table element: " .. tostring(msg))
  ok, msg = pcall(table.concat, {1, 2}, ",", 1, 3)
  assert(not ok and msg:find("at index 3", 1, true), "nil element in the range: " .. tostring(msg))
  err(function() return table.concat() end, "bad argument #1 to 'concat' (table expected, got no value)", "concat()")
end

-- insert
do
  local t = {}
  table.insert(t, "a")
  table.insert(t, "b")
  assert(seq(t) == "a,b", "append")
  table.insert(t, 1, "first")
  assert(seq(t) == "first,a,b", "insert at the front shifts")
  table.insert(t, 3, "mid")
  assert(seq(t) == "first,a,mid,b", "insert in the middle")
  table.insert(t, #t + 1, "end")
  assert(seq(t) == "first,a,mid,b,end", "insert at #t+1")
  local u = {}
  table.insert(u, 1, "only")
  assert(seq(u) == "only", "insert at 1 into an empty table")
  err(function() table.insert({1, 2}, 5, 1) end, "bad argument #2 to 'insert' (position out of bounds)", "position too large")
  err(function() table.insert({1, 2}, 0, 1) end, "bad argument #2 to 'insert' (position out of bounds)", "position zero")
  err(function() table.insert({}, 1, 2, 3) end, "wrong number of arguments to 'insert'", "too many arguments")
  err(function() table.insert({}) end, "wrong number of arguments to 'insert'", "too few arguments")
  err(function() table.insert(nil, 1) end, "bad argument #1 to 'insert' (table expected, got nil)", "insert into nil")
  local log = {}
  local proxy = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v) end})
  table.insert(proxy, "x")
  assert(log[1] == 1, "insert respects __newindex")
  local n = {}
  for i = 1, 1000 do table.insert(n, 1, i) end
  assert(#n == 1000 and n[1] == 1000 and n[1000] == 1, "1000 front insertions")
end

-- remove
do
  local t = {"a", "b", "c", "d"}
  assert(table.remove(t) == "d" and seq(t) == "a,b,c", "remove the last element")
  assert(table.remove(t, 1) == "a" and seq(t) == "b,c", "remove the first element shifts")
  assert(table.remove(t, 2) == "c" and seq(t) == "b", "remove by position")
  assert(table.remove(t) == "b" and #t == 0, "remove the only element")
  assert(table.remove(t) == nil, "remove from an empty table")
  assert(table.remove({}, 0) == nil, "position 0 in an empty table")
  local u = {1, 2, 3}
  assert(table.remove(u, 4) == nil and #u == 3, "position #t+1 returns t[#t+1]")
  local z = {[0] = "zero"}
  assert(table.remove(z, 0) == "zero" and z[0] == nil, "remove t[0] when #t == 0")
  -- the argument number in this message differs between 5.4 releases; only the text is checked
  local okr, mr = pcall(table.remove, {1, 2, 3}, 7)
  assert(not okr and mr:find("remove' (position out of bounds)", 1, true), "position too large: " .. tostring(mr))
  okr, mr = pcall(table.remove, {1, 2, 3}, -1)
  assert(not okr and mr:find("(position out of bounds)", 1, true), "negative position")
  local count = 0
  local big = {}
  for i = 1, 500 do big[i] = i end
  while #big > 0 do table.remove(big, 1); count = count + 1 end
  assert(count == 500, "drain from the front")
end

-- move
do
  local a = {1, 2, 3, 4, 5}
  table.move(a, 2, 4, 1)
  assert(seq(a) == "2,3,4,4,5", "move down (overlapping)")
  a = {1, 2, 3, 4, 5}
  table.move(a, 1, 3, 3)
  assert(seq(a) == "1,2,1,2,3", "move up (overlapping)")
  local b = {}
  assert(table.move({1, 2, 3}, 1, 3, 2, b) == b and seq(b, 4) == "nil,1,2,3", "move into another table returns it")
  local c = {1, 2}
  assert(table.move(c, 1, 0, 5) == c and c[5] == nil, "empty range moves nothing")
  local d = table.move({1, 2, 3}, -1, 1, 1, {})
  assert(d[1] == nil and d[2] == nil and d[3] == 1, "negative start index")
  local log = {}
  local src = setmetatable({}, {__index = function(_, i) log[#log + 1] = "get" .. i; return i * 10 end})
  local dst = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = "set" .. k; rawset(t, k, v) end})
  table.move(src, 1, 2, 1, dst)
  assert(table.concat(log, " ") == "get1 set1 get2 set2", "move uses metamethods in order")
  err(function() table.move({}, 1, math.maxinteger, 2) end, "bad argument #4 to 'move' (destination wrap around)", "destination wraps")
  err(function() table.move({}, math.mininteger, -1, 1) end, "bad argument #3 to 'move' (too many elements to move)", "too many elements")
end

-- pack and unpack
do
  local p = table.pack()
  assert(p.n == 0 and next(p, "n") == nil, "pack of nothing")
  p = table.pack(1, nil, 3, nil)
  assert(p.n == 4 and p[1] == 1 and p[3] == 3, "pack keeps nils and sets n")
  local a, b, c = table.unpack({1, 2, 3})
  assert(a == 1 and b == 2 and c == 3, "unpack")
  assert(select("#", table.unpack({})) == 0, "unpack of an empty table")
  assert(select("#", table.unpack({1, 2, 3}, 2)) == 2, "unpack from i")
  assert(select("#", table.unpack({1, 2, 3}, 2, 5)) == 4, "unpack past the end gives nils")
  assert(select("#", table.unpack({}, 5, 4)) == 0, "i > j")
  local x, y = table.unpack({n = 2, "a"}, 1, 2)
  assert(x == "a" and y == nil, "explicit j")
  local neg = {[-1] = "m1", [0] = "z", [1] = "one"}
  local r = table.pack(table.unpack(neg, -1, 1))
  assert(r.n == 3 and r[1] == "m1" and r[2] == "z" and r[3] == "one", "negative indices")
  local big = {}
  for i = 1, 5000 do big[i] = i end
  assert(select("#", table.unpack(big)) == 5000, "5000 values")
  local proxy = setmetatable({}, {__index = function(_, i) return i end})
  assert(select(3, table.unpack(proxy, 1, 3)) == 3, "unpack respects __index")
  err(function() return table.unpack({}, 1, 1e8) end, "too many results to unpack", "too many results")
  err(function() return table.unpack({}, math.mininteger, math.maxinteger) end, "too many results to unpack", "whole integer range")
end

-- sort
do
  local t = {5, 2, 8, 1, 9, 3}
  table.sort(t)
  assert(seq(t) == "1,2,3,5,8,9", "default order")
  table.sort(t, function(a, b) return a > b end)
  assert(seq(t) == "9,8,5,3,2,1", "comparator")
  local s = {"banana", "apple", "Cherry", "apple"}
  table.sort(s)
  assert(seq(s) == "Cherry,apple,apple,banana", "strings sort bytewise")
  local e = {}
  table.sort(e)
  assert(#e == 0, "empty table")
  local one = {1}
  table.sort(one)
  assert(one[1] == 1, "one element")
  -- larger inputs: sorted, reversed, random, many duplicates
  local function check_sorted(list, lt, what)
    for i = 2, #list do assert(not lt(list[i], list[i - 1]), what .. ": order at " .. i) end
  end
  local lt = function(a, b) return a < b end
  local seed = 12345
  local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
  for _, kind in ipairs({"sorted", "reversed", "random", "dups", "mixed"}) do
    local l = {}
    for i = 1, 2000 do
      if kind == "sorted" then l[i] = i
      elseif kind == "reversed" then l[i] = 2001 - i
      elseif kind == "random" then l[i] = rnd(1000000)
      elseif kind == "dups" then l[i] = rnd(5)
      else l[i] = rnd(100) + (i % 2 == 0 and 0.5 or 0) end
    end
    local sum_before = 0
    for i = 1, #l do sum_before = sum_before + l[i] end
    table.sort(l)
    check_sorted(l, lt, kind)
    local sum_after = 0
    for i = 1, #l do sum_after = sum_after + l[i] end
    assert(sum_before == sum_after and #l == 2000, kind .. ": sort is a permutation")
  end
  -- comparator on records
  local recs = {}
  for i = 1, 100 do recs[i] = {key = rnd(10), id = i} end
  table.sort(recs, function(a, b) if a.key ~= b.key then return a.key < b.key end return a.id < b.id end)
  for i = 2, #recs do
    local p, q = recs[i - 1], recs[i]
    assert(p.key < q.key or (p.key == q.key and p.id < q.id), "record order at " .. i)
  end
  -- sort uses __lt for tables
  local mt = {__lt = function(a, b) return a.v < b.v end}
  local objs = {}
  for i = 1, 50 do objs[i] = setmetatable({v = (i * 37) % 50}, mt) end
  table.sort(objs)
  for i = 2, 50 do assert(objs[i - 1].v <= objs[i].v, "__lt order at " .. i) end
  err(function() table.sort({3, 1, "x"}) end, "attempt to compare string with number", "mixed types")
  err(function() table.sort({1, 2}, 3) end, "bad argument #2 to 'sort' (function expected, got number)", "bad comparator")
  local ok, msg = pcall(table.sort, {1, 2, 3}, function(a, b) error("cmp failed", 0) end)
  assert(not ok and msg == "cmp failed", "errors in the comparator propagate")
  local okinv = pcall(table.sort, {5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1}, function(a, b) return true end)
  assert(okinv == true or okinv == false, "an inconsistent comparator does not crash")
end
