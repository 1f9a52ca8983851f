-- §3.4.4 Relational operators (exact integer/float comparison, NaN, strings,
-- mixed types), §3.4.5 logical operators, §3.4.6 concatenation and §3.4.8
-- precedence.

local maxi, mini = math.maxinteger, math.mininteger
local inf, nan = math.huge, 0 / 0
local function id(x) return x end

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

-- Equality: different types are different; integers and floats compare by value.
do
  assert(1 == 1.0, "1 == 1.0")
  assert(id(1) == id(1.0), "run-time 1 == 1.0")
  assert(-0.0 == 0.0 and 0 == -0.0, "zeros are equal")
  assert("1" ~= 1, "string and number differ")
  assert(nil ~= false, "nil and false differ")
  assert({} ~= {}, "distinct tables differ")
  local t = {}
  assert(t == t, "a table equals itself")
  local f1, f2 = function() end, function() end
  assert(f1 == f1 and f1 ~= f2, "functions by reference")
  assert(print == print, "native functions by reference")
  assert("abc" == "a" .. "bc", "strings by value")
  assert(nan ~= nan and not (nan == nan), "NaN is not equal to itself")
  assert(id(nan) ~= id(nan), "run-time NaN")
  assert(inf == inf and -inf == -inf and inf ~= -inf, "infinities")
end

-- Integer/float comparisons are exact: no rounding of the integer.
do
  local two53 = 1 << 53
  local rows = {
    -- {a, b, a==b, a<b, a<=b}
    {two53, 2.0 ^ 53, true, false, true},
    {two53 + 1, 2.0 ^ 53, false, false, false},
    {2.0 ^ 53, two53 + 1, false, true, true},
    {two53 + 1, 2.0 ^ 53 + 2, false, true, true},
    {maxi, 2.0 ^ 63, false, true, true},
    {2.0 ^ 63, maxi, false, false, false},
    {mini, -2.0 ^ 63, true, false, true},
    {mini + 1, -2.0 ^ 63, false, false, false},
    {maxi, inf, false, true, true},
    {mini, -inf, false, false, false},
    {0, nan, false, false, false},
    {nan, 0, false, false, false},
    {maxi, nan, false, false, false},
    {1, 1.5, false, true, true},
    {2, 1.5, false, false, false},
    {-1, -1.5, false, false, false},
    {-2, -1.5, false, true, true},
    {3, 3.0, true, false, true},
    {maxi, maxi + 0.0, false, true, true},
    {maxi - 1, 2.0 ^ 63 - 1024, false, false, false},
    {0x7ffffffffffffc00, 2.0 ^ 63 - 1024, true, false, true},
    {mini, mini + 0.0, true, false, true},
    {0, -0.0, true, false, true},
    {1, 0.9999999999999999, false, false, false},
    {-1, -0.9999999999999999, false, true, true},
  }
  for i, r in ipairs(rows) do
    local a, b = r[1], r[2]
    local what = string.format("row %d: %s vs %s", i, math.type(a) == "float" and string.format("%.17g", a) or a,
                               math.type(b) == "float" and string.format("%.17g", b) or b)
    assert((a == b) == r[3], what .. " ==")
    assert((a ~= b) == not r[3], what .. " ~=")
    assert((a < b) == r[4], what .. " <")
    assert((a <= b) == r[5], what .. " <=")
    assert((b > a) == r[4], what .. " > (swapped)")
    assert((b >= a) == r[5], what .. " >= (swapped)")
    assert((id(a) < id(b)) == r[4], what .. " run-time <")
  end
  assert((two53 + 1) + 0.0 == 2.0 ^ 53, "converting the integer first would round")
end

-- NaN: every order comparison is false.
do
  for _, x in ipairs({0, 1, -1, 1.5, inf, -inf, maxi, mini, nan}) do
    assert(not (nan < x) and not (nan <= x) and not (nan > x) and not (nan >= x), "NaN vs number")
    assert(not (x < nan) and not (x <= nan) and not (x > nan) and not (x >= nan), "number vs NaN")
  end
end

-- Strings compare bytewise (C locale).
do
  local ordered = {"", "\0", "\0\0", "\0a", "\1", " ", "0", "1", "10", "2", "A", "AB", "B", "Z", "a", "a\0", "a\0b", "a\0c", "aa", "ab", "b", "z", "\127", "\128", "\255", "\255\255"}
  for i = 1, #ordered do
    for j = 1, #ordered do
      local a, b = ordered[i], ordered[j]
      local what = string.format("%q vs %q", a, b)
      assert((a < b) == (i < j), what .. " <")
      assert((a <= b) == (i <= j), what .. " <=")
      assert((a == b) == (i == j), what .. " ==")
    end
  end
  assert("abc" < "abd" and "abc" < "abcd" and not ("abc" < "abc"), "prefix order")
  assert("10" < "9", "numeric strings compare as strings")
end

-- Order comparisons between different types are errors.
do
  err(function() return 1 < "2" end, "attempt to compare number with string", "number < string")
  err(function() return "2" < 1 end, "attempt to compare string with number", "string < number")
  err(function() return 1 <= nil end, "attempt to compare number with nil", "number <= nil")
  err(function() return nil > 1 end, "attempt to compare number with nil", "nil > number is number < nil")
  err(function() return {} < {} end, "attempt to compare two table values", "two tables")
  err(function() return {} < 1 end, "attempt to compare table with number", "table < number")
  err(function() return true < false end, "attempt to compare two boolean values", "two booleans")
  err(function() return print < print end, "attempt to compare two function values", "two functions")
  err(function() return 1 >= {} end, "attempt to compare table with number", ">= swaps operands")
  err(function() local a; return a < 1 end, "attempt to compare nil with number", "local nil")
end

-- §3.4.5 Logical operators: short-circuit and return an operand.
do
  assert((nil and 1) == nil and (false and 1) == false, "and returns the false first operand")
  assert((1 and 2) == 2 and (0 and "x") == "x", "and returns the second operand")
  assert((nil or 1) == 1 and (false or nil) == nil, "or returns the second operand")
  assert((1 or error("not evaluated")) == 1, "or short-circuits")
  assert((nil and error("not evaluated")) == nil, "and short-circuits")
  assert(not nil == true and not false == true, "not of false values")
  assert(not 0 == false and not "" == false, "not of true values")
  assert((false or false and true) == false, "and binds tighter than or")
  assert((1 or 2 and nil) == 1, "or of and")
  assert((nil or false) == false, "nil or false is false")
  assert((false and nil) == false, "false and nil is false")
  local x = 5
  assert((x > 3 and "big" or "small") == "big", "ternary idiom")
  assert((x > 9 and "big" or "small") == "small", "ternary idiom, false branch")
  assert((x > 3 and false or "fallback") == "fallback", "ternary idiom pitfall")
  local calls = 0
  local function f(v) calls = calls + 1; return v end
  local _ = f(false) and f(true) and f(true)
  assert(calls == 1, "and stops at the first false value")
  calls = 0
  _ = f(nil) or f(false) or f(3) or f(4)
  assert(calls == 3, "or stops at the first true value")
  -- only the first value of a multi-result call is used
  local function two() return nil, 2 end
  assert((two() or "x") == "x", "logical operators truncate to one value")
  assert(select("#", (two())) == 1, "parentheses truncate")
end

-- §3.4.6 Concatenation.
do
  assert("a" .. "b" .. "c" == "abc", "chain")
  assert(1 .. 2 == "12", "numbers")
  assert("" .. "" == "", "empty strings")
  assert(("x"):rep(3) .. "y" == "xxxy", "method result")
  assert("a" .. "b" == "ab" and "a" .. ("b" .. "c") == "abc", "right associative")
  assert("\0" .. "\0" == "\0\0" and #("a\0" .. "\0b") == 4, "embedded zeros")
  local parts = {}
  for i = 1, 100 do parts[i] = tostring(i) end
  local s = ""
  for i = 1, 100 do s = s .. parts[i] end
  assert(s == table.concat(parts), "long chain by repeated concatenation")
  assert(#s == 9 + 90 * 2 + 3, "length of 1..100 concatenated")
  err(function() return "a" .. {} end, "attempt to concatenate a table value", "table")
  err(function() return "a" .. nil end, "attempt to concatenate a nil value", "nil")
  err(function() local t = {}; return "a" .. t.x end, "attempt to concatenate a nil value (field 'x')", "nil field")
  err(function() local b = true; return b .. "a" end, "attempt to concatenate a boolean value (local 'b')", "boolean local")
  err(function() return "a" .. undefined_c .. "b" end, "attempt to concatenate a nil value (global 'undefined_c')", "nil global in a chain")
end

-- §3.4.8 Precedence, from lower to higher:
-- or; and; < > <= >= ~= ==; |; ~; &; << >>; ..; + -; * / // %; unary; ^
do
  assert(1 + 2 * 3 == 7, "* before +")
  assert((1 + 2) * 3 == 9, "parentheses")
  assert(2 * 3 ^ 2 == 18, "^ before *")
  assert(-3 ^ 2 == -9, "^ before unary minus")
  assert(not 1 == 2 == false, "not binds tighter than ==")
  assert(("a" .. 1 + 2) == "a3", "+ before ..")
  assert("1" .. "2" == "12" and 1 .. 2 + 3 == "15", ".. after arithmetic")
  assert(1 .. 2 == "12" and (1 < 2) == true, "comparison after ..")
  assert((1 | 2 == 3) == true, "| before ==")
  assert((5 & 3 ~ 1 | 8) == ((5 & 3) ~ 1) | 8, "& before ~ before |")
  assert((1 + 1 << 2) == 8, "+ before <<")
  assert((2 < 3) == not (2 >= 3), "relational results are booleans")
  err(function() return 1 << 1 .. "" end, "attempt to perform bitwise operation on a string value", ".. before <<")
  assert((1 == 1 and 2 == 2 or false) == true, "== before and before or")
  assert(- - 2 == 2 and not not nil == false, "stacked unary operators")
  assert(#"abc" + 1 == 4 and -#"ab" == -2, "# is unary")
  assert(2 ^ - 2 == 0.25, "unary minus in an exponent")
end
