-- §3.4.7 The length operator: strings (bytes), sequences (borders), __len.

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

-- Strings: number of bytes.
do
  assert(#"" == 0 and #"a" == 1 and #"abc" == 3, "simple strings")
  assert(#"\0" == 1 and #"a\0b" == 3, "embedded zeros count")
  assert(#"\u{10FFFF}" == 4, "UTF-8 bytes, not characters")
  assert(#("x"):rep(1000) == 1000, "long string")
  assert(#[[
ab]] == 2, "long bracket string")
  local s = "hello"
  assert(#s == string.len(s), "# agrees with string.len")
end

-- Sequences: # returns the number of elements.
do
  assert(#{} == 0, "empty table")
  assert(#{1, 2, 3} == 3, "constructor sequence")
  assert(#{n = 1} == 0, "no positive integer keys")
  assert(#{1, 2, 3, nil} == 3, "trailing nil in constructor")
  assert(#{nil} == 0, "single nil")
  local t = {}
  for i = 1, 100 do t[i] = i end
  assert(#t == 100, "filled by a loop")
  t[#t] = nil
  assert(#t == 99, "removing the last element")
  t[#t + 1] = "x"
  assert(#t == 100, "append")
  for i = 100, 1, -1 do t[i] = nil end
  assert(#t == 0, "emptied from the end")
  local u = {}
  u[1] = 1; u[2] = 2; u[3] = 3
  assert(#u == 3, "assigned in order")
  local v = {[1] = 1, [2] = 2, [3] = 3}
  assert(#v == 3, "explicit keys in constructor")
  local w = {1, 2, 3, x = 1, y = 2, [1.5] = 3, [-1] = 4, [0] = 5}
  assert(#w == 3, "non-sequence keys are ignored")
  local f = {[1.0] = "a", [2.0] = "b"}
  assert(#f == 2, "float keys with integer values count")
  local big = {}
  for i = 1, 5000 do big[i] = true end
  assert(#big == 5000, "large sequence")
  local function pack(...) return {...} end
  assert(#pack(1, 2, 3) == 3, "vararg table")
  assert(#table.pack(1, 2, 3) == 3, "table.pack")
end

-- Tables with holes: # is any border (a border is an index b with t[b] ~= nil
-- and t[b+1] == nil, or 0 when t[1] == nil).
do
  local function is_border(t, b)
    if b == 0 then return t[1] == nil end
    return t[b] ~= nil and t[b + 1] == nil
  end
  local samples = {
    {1, 2, nil, 4},
    {nil, 2},
    {1, nil, 3, nil, 5, nil},
    {[1] = 1, [2] = 2, [4] = 4},
    {[2] = 2},
    {1, 2, 3, [10] = 10},
  }
  for i, t in ipairs(samples) do
    assert(is_border(t, #t), "sample " .. i .. " gives a border")
  end
  local h = {}
  for i = 1, 20 do h[i] = i end
  h[10] = nil
  assert(is_border(h, #h), "hole in the middle gives a border")
  h[20] = nil
  assert(is_border(h, #h), "hole at the end gives a border")
end

-- __len overrides # for tables; strings ignore it.
do
  local t = setmetatable({1, 2, 3}, {__len = function(self) return 42 end})
  assert(#t == 42, "__len is used")
  assert(rawlen(t) == 3, "rawlen bypasses __len")
  local got_self
  local u = setmetatable({}, {__len = function(self, other) got_self = self; return "not a number" end})
  assert(#u == "not a number", "__len result is returned as is")
  assert(got_self == u, "__len receives the operand")
  local r = setmetatable({}, {__len = function() return 1, 2, 3 end})
  assert(select("#", #r) == 1, "only the first result of __len is used")
  local called = false
  local m = setmetatable({}, {__index = function() called = true end})
  assert(#m == 0 and not called, "# does not use __index")
end

-- Length of other types is an error unless __len is set.
do
  err(function() return #nil end, "attempt to get length of a nil value", "nil")
  err(function() return #5 end, "attempt to get length of a number value", "number")
  err(function() return #true end, "attempt to get length of a boolean value", "boolean")
  err(function() return #print end, "attempt to get length of a function value (global 'print')", "function global")
  err(function() local n; return #n end, "attempt to get length of a nil value (local 'n')", "local nil")
  err(function() return #undefined_len end, "attempt to get length of a nil value (global 'undefined_len')", "global nil")
  err(function() local t = {}; return #t.x end, "attempt to get length of a nil value (field 'x')", "field nil")
  err(function() return #coroutine.create(print) end, "attempt to get length of a thread value", "thread")
end

-- Sequences of every size up to 300, built four ways, have that length.
do
  for n = 0, 300 do
    local a, b, c = {}, {}, {}
    for i = 1, n do a[i] = i end
    for i = 1, n do b[#b + 1] = i end
    for i = n, 1, -1 do c[i] = i end
    local d = {table.unpack(a, 1, n)}
    assert(#a == n and #b == n and #c == n and #d == n, "length " .. n)
  end
  -- a sequence that grows and shrinks keeps the right length at every step
  local t = {}
  for i = 1, 200 do t[i] = i; assert(#t == i, "growing to " .. i) end
  for i = 200, 1, -1 do t[i] = nil; assert(#t == i - 1, "shrinking to " .. (i - 1)) end
end
