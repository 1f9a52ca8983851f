-- §3.4.1 Arithmetic operators: integer wrap-around, float/integer subtypes,
-- floor division and modulo (signs, floats, zero, infinities), exponentiation,
-- unary minus, and the exact error messages.

local maxi, mini = math.maxinteger, math.mininteger
local inf, nan = math.huge, 0 / 0

local function is_nan(x) return x ~= x end

-- Exact equality including subtype; floats compared by value, NaN matches NaN,
-- and the sign of zero is checked.
local function same(a, b)
  if math.type(a) ~= math.type(b) then return false end
  if is_nan(a) then return is_nan(b) end
  if a == 0 and math.type(a) == "float" then return 1 / a == 1 / b end
  return a == b
end

local function show(x)
  if math.type(x) == "float" then return string.format("%.17g(float)", x) end
  return tostring(x)
end

local function eq(got, expect, what)
  assert(same(got, expect), what .. ": got " .. show(got) .. ", expected " .. show(expect))
end

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

-- Operands are passed through a function so nothing is constant-folded.
local function id(x) return x end

-- Integer results stay integers; wrap-around on overflow.
do
  local rows = {
    {"1+2", id(1) + id(2), 3},
    {"maxi+1 wraps", id(maxi) + 1, mini},
    {"mini-1 wraps", id(mini) - 1, maxi},
    {"maxi*2 wraps", id(maxi) * 2, -2},
    {"mini*-1", id(mini) * -1, mini},
    {"mini*mini", id(mini) * mini, 0},
    {"maxi*maxi", id(maxi) * maxi, 1},
    {"maxi+maxi", id(maxi) + maxi, -2},
    {"mini+mini", id(mini) + mini, 0},
    {"-mini", -id(mini), mini},
    {"-maxi", -id(maxi), mini + 1},
    {"0-mini", 0 - id(mini), mini},
    {"2^62*2", id(1 << 62) * 2, mini},
    {"(1<<62)*4", id(1 << 62) * 4, 0},
    {"0x7fffffff*0x7fffffff", id(0x7fffffff) * 0x7fffffff, 0x3fffffff00000001},
    {"10-20", id(10) - 20, -10},
    {"7*6", id(7) * 6, 42},
    {"-0 integer", -id(0), 0},
  }
  for _, r in ipairs(rows) do eq(r[2], r[3], r[1]) end
  -- constant-folded forms must agree with run-time forms
  eq(math.maxinteger + 1, math.mininteger, "folded maxi+1")
  eq(math.mininteger * -1, math.mininteger, "folded mini*-1")
  eq(-math.mininteger, math.mininteger, "folded -mini")
end

-- Mixed operands convert the integer to float.
do
  eq(id(1) + 1.0, 2.0, "int+float is float")
  eq(id(1.0) + 1, 2.0, "float+int is float")
  eq(id(2) * 0.5, 1.0, "int*float")
  eq(id(3) - 1.5, 1.5, "int-float")
  eq(id(maxi) + 0.0, 2.0 ^ 63, "maxinteger converts to the nearest float")
  eq(id(mini) + 0.0, -2.0 ^ 63, "mininteger converts exactly")
  eq(id(2 ^ 53 | 0) + 1.0, 2.0 ^ 53, "2^53+1 rounds to 2^53 in float")
  eq(id(1) + inf, inf, "int+inf")
  eq(id(1) - inf, -inf, "int-inf")
  assert(is_nan(id(inf) - inf), "inf-inf is NaN")
  assert(is_nan(id(0) * inf), "0*inf is NaN")
  assert(is_nan(id(nan) + 1), "NaN propagates")
  eq(id(-0.0) + 0, 0.0, "-0.0+0 is +0.0")
  eq(id(-0.0) * 1, -0.0, "-0.0*1 keeps the sign")
  eq(-id(0.0), -0.0, "negating 0.0 gives -0.0")
  eq(-id(-0.0), 0.0, "negating -0.0 gives 0.0")
  eq(0.1 + 0.2, 0.30000000000000004, "IEEE double addition")
  eq(id(1e308) * 10, inf, "float overflow gives inf")
  eq(-id(1e308) * 10, -inf, "float overflow gives -inf")
end

-- Float division and exponentiation always give floats.
do
  local rows = {
    {"4/2", id(4) / 2, 2.0},
    {"7/2", id(7) / 2, 3.5},
    {"-7/2", id(-7) / 2, -3.5},
    {"1/0", id(1) / 0, inf},
    {"-1/0", id(-1) / 0, -inf},
    {"1/-0.0", id(1) / -0.0, -inf},
    {"0/0 int", id(0) / 0, nan},
    {"maxi/1", id(maxi) / 1, 2.0 ^ 63},
    {"1/3*3", id(1) / 3 * 3, 1.0},
    {"2^2", id(2) ^ 2, 4.0},
    {"2^-1", id(2) ^ -1, 0.5},
    {"2^0.5", id(2) ^ 0.5, math.sqrt(2)},
    {"0^0", id(0) ^ 0, 1.0},
    {"(-8)^(1/3) is NaN", id(-8) ^ (1 / 3), nan},
    {"(-2)^2", id(-2) ^ 2, 4.0},
    {"(-2)^3", id(-2) ^ 3, -8.0},
    {"2^63", id(2) ^ 63, 9223372036854775808.0},
    {"2^1024", id(2) ^ 1024, inf},
    {"inf^0", id(inf) ^ 0, 1.0},
    {"nan^0", id(nan) ^ 0, 1.0},
    {"1^nan", id(1) ^ nan, 1.0},
    {"0^-1", id(0) ^ -1, inf},
    {"10^2", id(10) ^ 2, 100.0},
  }
  for _, r in ipairs(rows) do eq(r[2], r[3], r[1]) end
  -- precedence: ^ is right associative and binds tighter than unary minus
  eq(2 ^ 3 ^ 2, 512.0, "^ is right associative")
  eq(-2 ^ 2, -4.0, "-2^2 is -(2^2)")
  eq(2 ^ -2, 0.25, "exponent may be negated")
  eq(-id(2) ^ 2, -4.0, "run-time -2^2")
end

-- Floor division: rounds towards minus infinity.
do
  local rows = {
    {7, 2, 3}, {-7, 2, -4}, {7, -2, -4}, {-7, -2, 3},
    {6, 3, 2}, {-6, 3, -2}, {6, -3, -2}, {0, 5, 0}, {0, -5, 0},
    {1, 2, 0}, {-1, 2, -1}, {1, -2, -1}, {-1, -2, 0},
    {maxi, 1, maxi}, {maxi, -1, -maxi}, {mini, 1, mini},
    {mini, -1, mini}, {mini, 2, mini >> 1 | mini}, {maxi, 2, maxi >> 1},
    {mini, maxi, -2}, {maxi, mini, -1}, {mini, mini, 1},
    {3, 1, 3}, {-3, 1, -3}, {100, 7, 14}, {-100, 7, -15},
  }
  for _, r in ipairs(rows) do
    eq(id(r[1]) // r[2], r[3], string.format("%d // %d", r[1], r[2]))
  end
  eq(math.mininteger // -1, math.mininteger, "folded mininteger // -1")
  local frows = {
    {7.0, 2, 3.0}, {-7.0, 2, -4.0}, {7, -2.0, -4.0}, {-7.5, 2, -4.0},
    {7.5, 2, 3.0}, {0.5, 1, 0.0}, {-0.5, 1, -1.0}, {1, 0.0, inf},
    {-1, 0.0, -inf}, {1, -0.0, -inf}, {0.0, 0.0, nan}, {0, 0.0, nan},
    {inf, 1, inf}, {-inf, 1, -inf}, {inf, inf, nan}, {1, inf, 0.0},
    {-1, inf, -0.0}, {1, -inf, -0.0}, {-1, -inf, 0.0}, {nan, 1, nan},
    {5.25, 0.5, 10.0}, {2 ^ 53, 2, 2.0 ^ 52}, {-0.0, 1, -0.0}, {0.0, -1, -0.0},
  }
  for _, r in ipairs(frows) do
    eq(id(r[1]) // r[2], r[3], string.format("%.17g // %.17g", r[1], r[2]))
  end
end

-- Modulo: a - floor(a/b)*b, result has the sign of the divisor.
do
  local rows = {
    {5, 3, 2}, {-5, 3, 1}, {5, -3, -1}, {-5, -3, -2},
    {6, 3, 0}, {-6, 3, 0}, {6, -3, 0}, {0, 7, 0},
    {1, 1, 0}, {maxi, 2, 1}, {mini, 2, 0}, {mini, -1, 0},
    {maxi, -1, 0}, {mini, maxi, maxi - 1}, {maxi, mini, -1}, {mini, mini, 0},
    {maxi, maxi, 0}, {-1, maxi, maxi - 1}, {1, mini, mini + 1}, {-1, mini, -1},
    {100, 7, 2}, {-100, 7, 5}, {100, -7, -5}, {-100, -7, -2},
  }
  for _, r in ipairs(rows) do
    eq(id(r[1]) % r[2], r[3], string.format("%d %% %d", r[1], r[2]))
  end
  eq(math.mininteger % -1, 0, "folded mininteger % -1")
  local frows = {
    {5.5, 2, 1.5}, {-5.5, 2, 0.5}, {5.5, -2, -0.5}, {-5.5, -2, -1.5},
    {5, 2.5, 0.0}, {-5, 2.5, -0.0}, {5, -2.5, 0.0}, {-5.0, 2.5, -0.0},
    {1, 0.0, nan}, {1.0, 0, nan}, {0.0, 0.0, nan}, {inf, 1, nan},
    {-inf, 2, nan}, {5, inf, 5.0}, {-5, inf, inf}, {5, -inf, -inf},
    {-5, -inf, -5.0}, {0.0, inf, 0.0}, {nan, 1, nan}, {1, nan, nan},
    {5.3, 1, 5.3 - 5}, {-0.0, 1, -0.0}, {0.0, -1, 0.0},
    {2 ^ 53, 3, 2.0}, {1e308, 3, 2.0},
  }
  for _, r in ipairs(frows) do
    eq(id(r[1]) % r[2], r[3], string.format("%.17g %% %.17g", r[1], r[2]))
  end
  -- a == (a // b) * b + a % b for integers
  local vals = {0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 123456789, -987654321, maxi, mini, maxi - 1, mini + 1}
  local checked = 0
  for _, a in ipairs(vals) do
    for _, b in ipairs(vals) do
      if b ~= 0 then
        local q, m = a // b, a % b
        assert(q * b + m == a, string.format("identity a == (a//b)*b + a%%b for %d, %d", a, b))
        assert(m == 0 or (m < 0) == (b < 0), string.format("sign of %d %% %d follows the divisor", a, b))
        checked = checked + 1
      end
    end
  end
  assert(checked == #vals * (#vals - 1), "all identity pairs checked")
end

-- Division and modulo by integer zero raise errors; by float zero they do not.
do
  err(function() return id(1) // 0 end, "attempt to divide by zero", "1//0")
  err(function() return id(0) // 0 end, "attempt to divide by zero", "0//0")
  err(function() return id(mini) // 0 end, "attempt to divide by zero", "mini//0")
  err(function() return id(1) % 0 end, "attempt to perform 'n%0'", "1%0")
  err(function() return id(-1) % 0 end, "attempt to perform 'n%0'", "-1%0")
  err(function() local a, b = 5, 0; return a % b end, "attempt to perform 'n%0'", "locals %")
  err(function() local a, b = 5, 0; return a // b end, "attempt to divide by zero", "locals //")
  eq(id(1) // 0.0, inf, "1//0.0")
  eq(id(1.0) // 0, inf, "1.0//0")
  assert(is_nan(id(1) % 0.0), "1%0.0 is NaN")
  assert(is_nan(id(1.0) % 0), "1.0%0 is NaN")
end

-- String operands are converted by the string library's arithmetic metamethods.
do
  eq("10" + 1, 11, "'10'+1 is the integer 11")
  eq("0x10" + 0, 16, "'0x10'+0 is 16")
  eq("1e1" + 0, 10.0, "'1e1'+0 is a float")
  eq(" 10 " + 0, 10, "surrounding spaces are allowed")
  eq("10" * "2", 20, "both strings")
  eq("3" // 2, 1, "string // int")
  eq("7" % "4", 3, "string % string")
  eq("2" ^ 2, 4.0, "string ^ int")
  eq(-"2", -2, "unary minus on a string")
  eq(-"2.0", -2.0, "unary minus on a float string")
  eq("10" / 4, 2.5, "string / int")
  eq(1 - "0.5", 0.5, "int - float string")
  eq("-0x1" + 0, -1, "negative hex string")
  eq("1" + 0.0, 1.0, "string + float")
  err(function() return "abc" + 1 end, "attempt to add a 'string' with a 'number'", "non-numeric string")
  err(function() local s = "abc"; return s * 2 end, "attempt to mul a 'string' with a 'number'", "non-numeric local string")
  err(function() return 1 - "" end, "attempt to sub a 'number' with a 'string'", "empty string")
  err(function() return "1 2" + 1 end, "attempt to add a 'string' with a 'number'", "two numbers in one string")
  err(function() return -"x" end, "attempt to unm a 'string' with a 'string'", "unary minus on a non-numeric string")
  err(function() return "a" // {} end, "attempt to idiv a 'string' with a 'table'", "string // table")
  err(function() return "a" ^ "b" end, "attempt to pow a 'string' with a 'string'", "string ^ string")
  err(function() return ("a") % 2 end, "attempt to mod a 'string' with a 'number'", "string % number")
  err(function() return 2 / "x" end, "attempt to div a 'number' with a 'string'", "number / string")
end

-- Arithmetic on non-numbers: messages name the variable kind.
do
  err(function() return undefined_global + 1 end, "attempt to perform arithmetic on a nil value (global 'undefined_global')", "global nil")
  err(function() local x; return x + 1 end, "attempt to perform arithmetic on a nil value (local 'x')", "local nil")
  err(function() local t = {}; return t.x + 1 end, "attempt to perform arithmetic on a nil value (field 'x')", "field nil")
  local up
  err(function() return up * 2 end, "attempt to perform arithmetic on a nil value (upvalue 'up')", "upvalue nil")
  err(function() return {} + 1 end, "attempt to perform arithmetic on a table value", "table operand")
  err(function() return 1 + {} end, "attempt to perform arithmetic on a table value", "table second operand")
  err(function() return true + 1 end, "attempt to perform arithmetic on a boolean value", "boolean operand")
  err(function() return -{} end, "attempt to perform arithmetic on a table value", "unary minus on table")
  err(function() local f = print; return f / 2 end, "attempt to perform arithmetic on a function value (local 'f')", "function operand")
  err(function() local t = {}; return 2 ^ t end, "attempt to perform arithmetic on a table value (local 't')", "^ on table")
  err(function() local t = {}; return t.a.b % 2 end, "attempt to index a nil value (field 'a')", "index before arithmetic")
end

-- Integer conversions used by arithmetic results.
do
  eq(3 // 1, 3, "integer // 1 stays integer")
  eq(3.0 // 1, 3.0, "float // 1 stays float")
  eq(math.type(2 ^ 2), "float", "^ is float")
  eq(math.type(6 / 2), "float", "/ is float")
  eq(1e15 + 1 - 1e15, 1.0, "float precision below 2^53")
  eq((2 ^ 53 + 1) - 2 ^ 53, 0.0, "float precision at 2^53")
  eq(((1 << 53) + 1) - (1 << 53), 1, "integer precision at 2^53")
end
