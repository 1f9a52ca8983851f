-- §3.4.3 Coercions and conversions: string -> number (lexer rules plus
-- whitespace and sign), integer <-> float, number -> string in concatenation,
-- float keys normalised to integers, library arguments.
-- Floats printed here have at most 14 significant digits, where 5.4 and 5.5 agree.

local maxi, mini = math.maxinteger, math.mininteger

local function same(a, b)
  if math.type(a) ~= math.type(b) then return false end
  if a ~= a then return b ~= b end
  if a == 0 and math.type(a) == "float" then return 1 / a == 1 / b end
  return a == b
end

local function show(x)
  if math.type(x) == "float" then return string.format("%.17g(float)", x) end
  return tostring(x) .. "(" .. (math.type(x) or type(x)) .. ")"
end

local function eq(got, expect, what)
  assert(same(got, expect), what .. ": got " .. show(got) .. ", expected " .. show(expect))
end

-- String to number: rows of {string, expected number or nil}.
do
  local rows = {
    {"10", 10}, {"  10  ", 10}, {"\t\n10\v\f\r", 10}, {"+10", 10}, {"-10", -10},
    {"0x10", 16}, {"0X1F", 31}, {"-0x1", -1}, {"0xffffffffffffffff", -1},
    {"0x7fffffffffffffff", maxi}, {"0x8000000000000000", mini}, {"00", 0}, {"-0", 0},
    {"9223372036854775807", maxi}, {"-9223372036854775808", mini},
    {"9223372036854775808", 2.0 ^ 63}, {"-9223372036854775809", -2.0 ^ 63},
    {"1e2", 100.0}, {"1E2", 100.0}, {"1e+2", 100.0}, {"1e-2", 0.01}, {"1.", 1.0},
    {".5", 0.5}, {"-.5", -0.5}, {"0x.1", 0.0625}, {"0x1.8", 1.5}, {"0x1P+4", 16.0},
    {"0x1p-1", 0.5}, {"0xA23p-4", 162.1875}, {"-0.0", -0.0}, {"1e500", math.huge},
    {"-1e500", -math.huge}, {"1e-400", 0.0}, {"3.0", 3.0}, {"  -7.25  ", -7.25},
    {"", nil}, {" ", nil}, {".", nil}, {"0x", nil}, {"1e", nil}, {"1e+", nil},
    {"1 0", nil}, {"10 x", nil}, {"x10", nil}, {"10\0", nil}, {"0x-1", nil},
    {"- 1", nil}, {"--1", nil}, {"+-1", nil}, {"inf", nil}, {"nan", nil},
    {"infinity", nil}, {"1..2", nil}, {"0x1p", nil}, {"1_000", nil}, {"0b1", nil},
    {"1,5", nil}, {"12a", nil}, {"0xg", nil}, {"1e1.5", nil},
  }
  for _, r in ipairs(rows) do
    local s, expect = r[1], r[2]
    local what = string.format("tonumber(%q)", s)
    if expect == nil then
      assert(tonumber(s) == nil, what .. " should fail")
      assert(not pcall(function() return s + 0 end), what .. ": arithmetic should fail")
    else
      eq(tonumber(s), expect, what)
      eq(s + 0, expect + 0, what .. " + 0")
      eq(s * 1, expect * 1, what .. " * 1")
      eq(-s, -expect, "-" .. what)
    end
  end
end

-- Arithmetic on strings keeps the subtype rules of the converted numbers.
do
  eq("10" + 1, 11, "'10' + 1")
  eq("0x10" + 0, 16, "'0x10' + 0")
  eq("10.0" + 1, 11.0, "'10.0' + 1 is float")
  eq("1e2" + 0, 100.0, "'1e2' + 0 is float")
  eq(" 10 " + 0, 10, "' 10 ' + 0")
  eq("10" // "3", 3, "string // string")
  eq("10" / "4", 2.5, "string / string")
  eq("2" ^ "3", 8.0, "string ^ string")
  eq("9223372036854775807" + 1, mini, "string maxinteger + 1 wraps")
  assert("10" ~= 10, "no coercion in ==")
  assert(not pcall(function() return "1" < 1 end), "no coercion in <")
end

-- Integer to float: exact when representable, nearest otherwise.
do
  eq(3 + 0.0, 3.0, "small integer exact")
  eq((1 << 53) + 0.0, 2.0 ^ 53, "2^53 exact")
  eq(((1 << 53) + 1) + 0.0, 2.0 ^ 53, "2^53+1 rounds to even")
  eq(((1 << 53) + 3) + 0.0, 2.0 ^ 53 + 4, "2^53+3 rounds to even (up)")
  eq(maxi + 0.0, 2.0 ^ 63, "maxinteger rounds up to 2^63")
  eq(mini + 0.0, -2.0 ^ 63, "mininteger exact")
  eq(maxi / 1, 2.0 ^ 63, "division converts")
end

-- Float to integer: only exact integral values in range.
do
  local rows = {
    {3.0, 3}, {-3.0, -3}, {-0.0, 0}, {2.0 ^ 53, 1 << 53}, {2.0 ^ 62, 1 << 62},
    {-2.0 ^ 63, mini}, {2.0 ^ 63, nil}, {3.5, nil}, {-0.5, nil}, {math.huge, nil},
    {-math.huge, nil}, {0 / 0, nil}, {1e100, nil}, {2.0 ^ 63 - 1024, 0x7ffffffffffffc00},
  }
  for _, r in ipairs(rows) do
    local what = string.format("math.tointeger(%.17g)", r[1])
    if r[2] == nil then
      assert(math.tointeger(r[1]) == nil, what .. " should fail")
      assert(not pcall(function() return r[1] | 0 end), what .. ": bitwise should fail")
    else
      eq(math.tointeger(r[1]), r[2], what)
      eq(r[1] | 0, r[2], what .. " | 0")
    end
  end
  eq(math.tointeger(7), 7, "tointeger of an integer")
  assert(math.tointeger({}) == nil, "tointeger of a table is fail")
end

-- Number to string in concatenation.
do
  assert(1 .. 2 == "12", "integers concatenate")
  assert(1 .. "" == "1" and -1 .. "" == "-1", "integer strings")
  assert(1.0 .. "" == "1.0", "integral float keeps .0")
  assert(-0.0 .. "" == "-0.0", "negative zero")
  assert(1.5 .. "" == "1.5", "1.5")
  assert(0.1 .. "" == "0.1", "0.1")
  assert(1e100 .. "" == "1e+100", "exponent form")
  assert(1e-5 .. "" == "1e-05", "small exponent form")
  assert(123456.75 .. "" == "123456.75", "fraction")
  assert(1e15 .. "" == "1e+15", "1e15 uses exponent form")
  -- 1e15 needs 16 digits: both 5.4's %.14g and 5.5's %.15g rule use exponent form.
  assert(1e15 .. "" == "1e+15", "1e15 uses exponent form")
  assert(123456789012.0 .. "" == "123456789012.0", "12-digit integral float")
  assert(math.huge .. "" == "inf" and -math.huge .. "" == "-inf", "infinities")
  assert(maxi .. "" == "9223372036854775807", "maxinteger")
  assert(mini .. "" == "-9223372036854775808", "mininteger")
  assert("x" .. 10 .. "y" == "x10y", "mixed chain")
  assert(tostring(10) == "10" and tostring(-7) == "-7", "tostring of integers")
  assert(tostring(2.5) == "2.5" and tostring(-2.5) == "-2.5", "tostring of simple floats")
  assert(tostring(100.0) == "100.0", "tostring of an integral float")
  assert(tostring(-0.0) == "-0.0", "tostring of -0.0")
  assert(not pcall(function() return "a" .. {} end), "tables do not concatenate")
  assert(not pcall(function() return 1 .. nil end), "nil does not concatenate")
  assert(not pcall(function() return true .. "" end), "booleans do not concatenate")
end

-- Float keys with integer values are normalised to integer keys.
do
  local t = {}
  t[1.0] = "a"
  assert(t[1] == "a", "t[1.0] is t[1]")
  t[2] = "b"
  assert(t[2.0] == "b", "t[2.0] reads t[2]")
  assert(#t == 2, "float-keyed entries count in the sequence")
  local k = next({[3.0] = true})
  eq(k, 3, "next returns the normalised integer key")
  t[2.0 ^ 53] = "big"
  assert(t[1 << 53] == "big", "2^53 float key normalised")
  t[-0.0] = "zero"
  assert(t[0] == "zero", "-0.0 key is 0")
  t[0.5] = "half"
  assert(t[0.5] == "half" and t[0] == "zero", "non-integral float keys stay floats")
  t[2.0 ^ 63] = "huge"
  assert(t[2.0 ^ 63] == "huge" and t[mini] == nil, "2^63 float key is not wrapped")
  local cnt = 0
  for key in pairs({[1] = 1, [1.0] = 2}) do cnt = cnt + 1 end
  assert(cnt == 1, "1 and 1.0 are the same key")
  local s = {}
  s["1"] = "str"
  assert(s[1] == nil, "string keys are not converted")
end

-- Library arguments: strings are converted to numbers, floats to integers.
do
  assert(string.rep("x", "3") == "xxx", "numeric string argument")
  assert(string.rep("x", 2.0) == "xx", "integral float argument")
  local function perr(f)
    local ok, msg = pcall(f)
    assert(not ok, "expected an error")
    return false, (msg:gsub("^[^:]*:%d+: ", ""))
  end
  local ok, msg = perr(function() return string.rep("x", 2.5) end)
  assert(not ok and msg == "bad argument #2 to 'rep' (number has no integer representation)", "non-integral float argument: " .. tostring(msg))
  ok, msg = perr(function() return string.rep("x", "2.5") end)
  assert(not ok and msg:find("number has no integer representation", 1, true), "non-integral numeric string")
  ok, msg = perr(function() return string.rep("x", "abc") end)
  assert(not ok and msg == "bad argument #2 to 'rep' (number expected, got string)", "non-numeric string argument: " .. tostring(msg))
  assert(string.sub("hello", "2", 3.0) == "el", "sub with converted arguments")
  assert(string.char("65", 66.0) == "AB", "char with converted arguments")
  assert(string.len(123) == 3, "numbers are converted to strings for string functions")
  assert(string.upper(1.5) == "1.5", "float to string argument")
  assert(("x"):rep(3) == "xxx", "method on a string")
  eq(math.abs("-3"), 3.0, "math.abs converts a string argument to a float")
  eq(math.floor("3.7"), 3, "math.floor converts its string argument")
  assert(select("2", "a", "b") == "b", "select converts a numeric string")
  assert(string.format("%d", "10") == "10", "format %d converts a numeric string")
  assert(string.format("%d", 3.0) == "3", "format %d accepts an integral float")
  ok, msg = perr(function() return string.format("%d", 3.5) end)
  assert(not ok and msg == "bad argument #2 to 'format' (number has no integer representation)", "format %d with 3.5: " .. tostring(msg))
  assert(string.format("%s", 10) == "10" and string.format("%s", 1.5) == "1.5", "format %s of numbers")
  assert(table.concat({1, 2.5, "x"}, ",") == "1,2.5,x", "concat converts numbers")
end
