-- §6.1 Basic functions (print is covered by the golden script 6.1_print.lua).
-- _VERSION and float tostring beyond 14 digits differ between 5.4 and 5.5.

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

local function same(a, b)
  return math.type(a) == math.type(b) and (a == b or (a ~= a and b ~= b))
end

-- type
do
  local rows = {
    {nil, "nil"}, {true, "boolean"}, {false, "boolean"}, {0, "number"}, {0.5, "number"},
    {"", "string"}, {{}, "table"}, {print, "function"}, {function() end, "function"},
    {coroutine.create(print), "thread"}, {io and io.stdout or "", io and "userdata" or "string"},
  }
  for i, r in ipairs(rows) do assert(type(r[1]) == r[2], "type row " .. i) end
  err(function() return type() end, "bad argument #1 to 'type' (value expected)", "type()")
  assert(type(type) == "function" and type(nil) == "nil", "type of type")
end

-- tonumber without a base
do
  assert(same(tonumber(10), 10) and same(tonumber(1.5), 1.5), "numbers are returned unchanged")
  assert(same(tonumber("10"), 10) and same(tonumber("1e1"), 10.0), "numeric strings")
  assert(same(tonumber("0x10"), 16) and same(tonumber(" -7 "), -7), "hex and spaces")
  assert(tonumber("abc") == nil and tonumber("") == nil and tonumber({}) == nil, "failures return fail")
  assert(tonumber(nil) == nil and tonumber(true) == nil, "non-strings return fail")
  err(function() return tonumber() end, "bad argument #1 to 'tonumber' (value expected)", "tonumber()")
end

-- tonumber with a base
do
  local rows = {
    {"ff", 16, 255}, {"FF", 16, 255}, {"zz", 36, 1295}, {"ZZ", 36, 1295}, {"  11  ", 2, 3},
    {"-ff", 16, -255}, {"777", 8, 511}, {"10", 10, 10}, {"7fffffffffffffff", 16, math.maxinteger},
    {"ffffffffffffffff", 16, -1}, {"10000000000000000", 16, 0}, {"1010", 2, 10},
    {"z", 36, 35}, {"0", 2, 0}, {"-0", 10, 0}, {"  -1  ", 3, -1}, {"Aa", 11, 120},
    {"1.5", 10, nil}, {"8", 8, nil}, {"", 10, nil}, {"2", 2, nil}, {"g", 16, nil},
    {"0x10", 16, nil}, {"1 1", 10, nil}, {"-", 10, nil}, {" ", 10, nil}, {"1e1", 10, nil},
  }
  for _, r in ipairs(rows) do
    local got = tonumber(r[1], r[2])
    assert(got == r[3] and (got == nil or math.type(got) == "integer"),
           string.format("tonumber(%q, %d) = %s, expected %s", r[1], r[2], tostring(got), tostring(r[3])))
  end
  assert(tonumber(" 10 ", 36) == 36, "base 36 with spaces")
  err(function() return tonumber("10", 1) end, "bad argument #2 to 'tonumber' (base out of range)", "base 1")
  err(function() return tonumber("10", 37) end, "bad argument #2 to 'tonumber' (base out of range)", "base 37")
  err(function() return tonumber(10, 16) end, "bad argument #1 to 'tonumber' (string expected, got number)", "number with a base")
  err(function() return tonumber(nil, 10) end, "bad argument #1 to 'tonumber' (string expected, got nil)", "nil with a base")
  for base = 2, 36 do
    assert(tonumber("10", base) == base, "'10' in base " .. base)
    assert(tonumber("11", base) == base + 1, "'11' in base " .. base)
  end
end

-- tostring
do
  assert(tostring(nil) == "nil" and tostring(true) == "true" and tostring(false) == "false", "constants")
  assert(tostring(42) == "42" and tostring(-0) == "0", "integers")
  assert(tostring(math.mininteger) == "-9223372036854775808", "mininteger")
  local float_rows = {
    {1.0, "1.0"}, {-1.0, "-1.0"}, {0.0, "0.0"}, {-0.0, "-0.0"}, {0.5, "0.5"}, {0.1, "0.1"},
    {1e100, "1e+100"}, {-1e100, "-1e+100"}, {1e-100, "1e-100"}, {123.456, "123.456"},
    {1e15, "1e+15"}, {2.5e-7, "2.5e-07"}, {100.0, "100.0"}, {3.14159, "3.14159"},
    {math.huge, "inf"}, {-math.huge, "-inf"}, {12345678901234.0, "12345678901234.0"},
    {0.25, "0.25"}, {1e15, "1e+15"}, {65536.0, "65536.0"}, {-7.5, "-7.5"},
  }
  for _, r in ipairs(float_rows) do
    assert(tostring(r[1]) == r[2], string.format("tostring(%.17g) = %s, expected %s", r[1], tostring(r[1]), r[2]))
  end
  assert(tostring(print):match("^function: ") and tostring(function() end):match("^function: "), "functions print as 'function: ...'")
  assert(tostring({}):match("^table: ") and tostring(coroutine.create(print)):match("^thread: "), "tables and threads")
  local t = {}
  assert(tostring(t) == tostring(t), "tostring is stable for one object")
  assert(tostring({}) ~= tostring({}), "different tables print differently")
  assert(tostring(setmetatable({}, {__tostring = function() return "X" end})) == "X", "__tostring")
  assert(tostring(setmetatable({}, {__name = "Named"})):match("^Named: "), "__name")
  assert(tostring("str") == "str", "strings unchanged")
  err(function() return tostring() end, "bad argument #1 to 'tostring' (value expected)", "tostring()")
end

-- select
do
  assert(select("#") == 0 and select("#", nil) == 1 and select("#", 1, nil, nil) == 3, "select('#')")
  assert(select(1, "a", "b") == "a" and select(2, "a", "b") == "b", "positive index")
  assert(select("#", select(3, "a", "b")) == 0, "index past the end gives nothing")
  assert(select("#", select(2, "a", "b", "c")) == 2, "select returns all following")
  assert(select(-1, 1, 2, 3) == 3, "select(-1)")
  local a, b = select(-2, 1, 2, 3)
  assert(a == 2 and b == 3, "select(-2) returns the last two")
  assert(select(-3, 1, 2, 3) == 1, "select(-n) with n == count")
  err(function() return select(-4, 1, 2, 3) end, "bad argument #1 to 'select' (index out of range)", "select(-4) with 3 values")
  err(function() return select(0, 1) end, "bad argument #1 to 'select' (index out of range)", "select(0)")
  err(function() return select("x") end, "bad argument #1 to 'select' (number expected, got string)", "select('x')")
  assert(select(2.0, "a", "b") == "b", "float index with integer value")
end

-- rawequal, rawlen, rawget, rawset
do
  local mt = {__eq = function() return true end, __len = function() return 99 end,
              __index = function() return "idx" end, __newindex = function() error("no") end}
  local a, b = setmetatable({1, 2}, mt), setmetatable({}, mt)
  assert(a == b and not rawequal(a, b) and rawequal(a, a), "rawequal ignores __eq")
  assert(rawequal(1, 1.0) and not rawequal(1, "1") and rawequal("x", "x"), "rawequal of values")
  assert(#a == 99 and rawlen(a) == 2 and rawlen("abc") == 3, "rawlen ignores __len")
  assert(a.zzz == "idx" and rawget(a, "zzz") == nil and rawget(a, 1) == 1, "rawget ignores __index")
  assert(rawset(b, "k", "v") == b and rawget(b, "k") == "v", "rawset ignores __newindex and returns the table")
  assert(rawget(a, 1.0) == 1, "rawget normalises float keys")
  err(function() return rawequal(1) end, "bad argument #2 to 'rawequal' (value expected)", "rawequal with one argument")
  err(function() return rawlen(5) end, "bad argument #1 to 'rawlen' (table or string expected, got number)", "rawlen of a number")
  err(function() return rawget(1, 1) end, "bad argument #1 to 'rawget' (table expected, got number)", "rawget of a number")
  err(function() return rawset({}, 1) end, "bad argument #3 to 'rawset' (value expected)", "rawset without value")
  err(function() return rawset({}, nil, 1) end, "table index is nil", "rawset with a nil key")
  err(function() return rawset({}, 0 / 0, 1) end, "table index is NaN", "rawset with a NaN key")
end

-- next and pairs
do
  local t = {10, 20, 30, x = "a", y = "b"}
  local seen, n = {}, 0
  local k, v = next(t)
  while k ~= nil do
    assert(seen[k] == nil, "next visits each key once")
    seen[k] = v; n = n + 1
    k, v = next(t, k)
  end
  assert(n == 5 and seen[1] == 10 and seen.y == "b", "next visits every key")
  assert(next({}) == nil, "next of an empty table")
  assert(next({}, nil) == nil, "explicit nil key")
  err(function() return next({}, "missing") end, "invalid key to 'next'", "next with an absent key")
  -- clearing fields during traversal is allowed
  local c = {}
  for i = 1, 100 do c[i] = i; c["k" .. i] = i end
  for key in pairs(c) do c[key] = nil end
  assert(next(c) == nil, "clearing fields while traversing")
  -- pairs returns next, t, nil (5.5 adds a fourth value; not checked)
  local f, s, ctl = pairs(t)
  assert(f == next and s == t and ctl == nil, "pairs without __pairs")
  -- __pairs
  local proxied = setmetatable({}, {__pairs = function(self)
    return function(_, k) if k == nil then return 1, "one" elseif k == 1 then return 2, "two" end end, self, nil
  end})
  local got = {}
  for key, val in pairs(proxied) do got[key] = val end
  assert(got[1] == "one" and got[2] == "two", "__pairs supplies the iterator")
  local calls = 0
  local pm = setmetatable({}, {__pairs = function(self) calls = calls + 1; return next, {a = 1}, nil end})
  for _ in pairs(pm) do end
  assert(calls == 1, "__pairs called once")
  err(function() for _ in pairs(nil) do end end, "bad argument #1 to 'for iterator' (table expected, got nil)", "pairs(nil)")
end

-- ipairs
do
  local t = {1, 2, nil, 4}
  local n = 0
  for i, v in ipairs(t) do n = n + 1; assert(t[i] == v, "ipairs value") end
  assert(n == 2, "ipairs stops at the first nil")
  local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
  local sum = 0
  for _, v in ipairs(proxy) do sum = sum + v end
  assert(sum == 60, "ipairs respects __index")
  local f, s, i = ipairs(t)
  assert(type(f) == "function" and s == t and i == 0, "ipairs returns iterator, table, 0")
  assert(f(t, 0) == 1 and f(t, 2) == nil, "ipairs iterator is callable directly")
  err(function() return ipairs() end, "bad argument #1 to 'ipairs' (value expected)", "ipairs()")
  local count = 0
  for _ in ipairs({}) do count = count + 1 end
  assert(count == 0, "ipairs of an empty table")
end

-- load
do
  local f = assert(load("return 1 + 1"))
  assert(f() == 2, "load a string")
  local parts = {"return ", "1", " + ", "2"}
  local i = 0
  f = assert(load(function() i = i + 1; return parts[i] end))
  assert(f() == 3, "load with a reader function")
  i = 0
  f = assert(load(function() i = i + 1; if i == 1 then return "return 'x'" elseif i == 2 then return "" end; return "never" end))
  assert(f() == "x", "an empty string ends the reader")
  local g, msg = load("return 1 +", "=bad")
  assert(g == nil and msg == "bad:1: unexpected symbol near <eof>", "syntax error returns fail and message")
  g, msg = load(function() return {} end)
  assert(g == nil and msg:find("reader function must return a string", 1, true), "reader returning a table: " .. tostring(msg))
  g, msg = load("return 1", "c", "b")
  assert(g == nil and msg == "attempt to load a text chunk (mode is 'b')", "text chunk in binary mode: " .. tostring(msg))
  assert(load("return 1", "c", "t")() == 1 and load("return 1", "c", "bt")() == 1, "modes t and bt")
  local env = {y = 5}
  f = assert(load("x = y * 2", "c", "t", env))
  f()
  assert(env.x == 10 and rawget(_G, "x") == nil, "load with an environment")
  f = assert(load("return ..."))
  assert(select("#", f(1, 2, 3)) == 3, "loaded chunks are vararg")
  f = assert(load("local a <const> = 5; return a"))
  assert(f() == 5, "load compiles attributes")
  f = assert(load("\n\n return debug.getinfo(1, 'S').short_src", "=named"))
  assert(f() == "named", "chunk name used by debug info")
  g, msg = load("x =", "@file.lua")
  assert(msg == "file.lua:1: unexpected symbol near <eof>", "file chunk name in a syntax error")
  local okl, ml = pcall(load)
  assert(not okl and ml:find("bad argument #1 to 'load'", 1, true), "load()")
end

-- dofile / loadfile with a missing file
do
  local f, msg = loadfile("/nonexistent/dir/file.lua")
  assert(f == nil and msg:find("cannot open /nonexistent/dir/file.lua", 1, true), "loadfile of a missing file: " .. tostring(msg))
  local ok, e = pcall(dofile, "/nonexistent/dir/file.lua")
  assert(not ok and e:find("cannot open /nonexistent/dir/file.lua", 1, true), "dofile of a missing file")
end

-- getmetatable / setmetatable argument errors are in 2.4_metatables.lua; _G
do
  assert(_G._G == _G and _G.print == print, "_G is the global table")
  assert(type(_VERSION) == "string" and _VERSION:match("^Lua 5%.%d$"), "_VERSION")
end
