-- §3.4.2 Bitwise operators: 64-bit two's complement, logical shifts, shifts by
-- >= 64 and negative amounts, float operands with exact integer values, and the
-- errors for floats without an integer representation and for strings.

local maxi, mini = math.maxinteger, math.mininteger
local function id(x) return x end

local function eq(got, expect, what)
  assert(math.type(got) == "integer", what .. ": result is not an integer")
  assert(got == expect, string.format("%s: got %d (0x%x), expected %d (0x%x)", what, got, got, expect, expect))
end

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

-- and, or, xor, not
do
  local rows = {
    {"0xF0 & 0x3C", id(0xF0) & 0x3C, 0x30},
    {"0xF0 | 0x0F", id(0xF0) | 0x0F, 0xFF},
    {"0xFF ~ 0x0F", id(0xFF) ~ 0x0F, 0xF0},
    {"~0", ~id(0), -1},
    {"~-1", ~id(-1), 0},
    {"~maxi", ~id(maxi), mini},
    {"~mini", ~id(mini), maxi},
    {"-1 & maxi", id(-1) & maxi, maxi},
    {"mini | maxi", id(mini) | maxi, -1},
    {"mini ~ -1", id(mini) ~ -1, maxi},
    {"x & 0", id(12345) & 0, 0},
    {"x | 0", id(12345) | 0, 12345},
    {"x ~ x", id(12345) ~ 12345, 0},
    {"x & -1", id(-12345) & -1, -12345},
    {"5 & 3", id(5) & 3, 1},
    {"5 | 3", id(5) | 3, 7},
    {"5 ~ 3", id(5) ~ 3, 6},
  }
  for _, r in ipairs(rows) do eq(r[2], r[3], r[1]) end
end

-- Shifts are logical (zero fill) and accept any integer amount.
do
  local rows = {
    {1, 0, "<<", 1}, {1, 1, "<<", 2}, {1, 62, "<<", 1 << 62}, {1, 63, "<<", mini},
    {1, 64, "<<", 0}, {1, 100, "<<", 0}, {-1, 63, "<<", mini}, {-1, 64, "<<", 0},
    {1, -1, "<<", 0}, {2, -1, "<<", 1}, {mini, -63, "<<", 1}, {-1, -1, "<<", maxi},
    {-1, -64, "<<", 0}, {1, mini, "<<", 0}, {1, maxi, "<<", 0},
    {2, 1, ">>", 1}, {mini, 63, ">>", 1}, {-1, 1, ">>", maxi}, {-1, 63, ">>", 1},
    {-1, 64, ">>", 0}, {-1, 0, ">>", -1}, {1, -1, ">>", 2}, {1, -63, ">>", mini},
    {1, -64, ">>", 0}, {mini, 64, ">>", 0}, {maxi, 62, ">>", 1}, {-256, 4, ">>", 0x0FFFFFFFFFFFFFF0},
    {0xFF, 4, ">>", 0xF}, {0xFF, 8, ">>", 0}, {-1, mini, ">>", 0}, {-1, maxi, ">>", 0},
  }
  for _, r in ipairs(rows) do
    local got
    if r[3] == "<<" then got = id(r[1]) << r[2] else got = id(r[1]) >> r[2] end
    eq(got, r[4], string.format("%d %s %d", r[1], r[3], r[2]))
  end
  -- a >> n == a << -n
  for _, a in ipairs({1, -1, 0x1234, mini, maxi}) do
    for n = -70, 70, 7 do
      eq(a >> n, a << -n, string.format("%d >> %d equals %d << %d", a, n, a, -n))
    end
  end
end

-- Precedence: shifts bind tighter than &, which binds tighter than ~, then |;
-- all bind looser than concatenation and arithmetic.
do
  eq(1 | 2 & 3, 3, "& before |")
  eq(1 | 2 ~ 3, 1, "~ before |")
  eq(6 & 3 ~ 1, 3, "& binds tighter than binary ~")
  eq(1 << 2 + 1, 8, "+ before <<")
  eq(1 << 2 | 1, 5, "<< before |")
  eq(~0 << 1, -2, "unary ~ before <<")
  eq(2 ~ ~2, -1, "binary ~ then unary ~")
  eq(0xF0 >> 4 & 0x3, 3, ">> before &")
end

-- Float operands are converted when they have an exact integer value.
do
  eq(id(3.0) & 1, 1, "3.0 & 1")
  eq(id(1) | 2.0, 3, "1 | 2.0")
  eq(id(-0.0) | 0, 0, "-0.0 | 0")
  eq(~id(0.0), -1, "~0.0")
  eq(id(2.0 ^ 62) >> 62, 1, "2^62 >> 62")
  eq(id(-2.0 ^ 63) | 0, mini, "-2^63 converts to mininteger")
  eq(id(1e15) | 0, 1000000000000000, "1e15 | 0")
  eq(id(2.0) << 1.0, 4, "float shift amount")
  local nonint = {
    {"1.5 & 1", function() return id(1.5) & 1 end},
    {"1 | 0.5", function() return id(1) | 0.5 end},
    {"2^63 | 0", function() return id(2.0 ^ 63) | 0 end},
    {"-2^63-2^11 | 0", function() return id(-2.0 ^ 63 - 2.0 ^ 11) | 0 end},
    {"inf | 0", function() return id(math.huge) | 0 end},
    {"-inf & 0", function() return id(-math.huge) & 0 end},
    {"nan ~ 0", function() return id(0 / 0) ~ 0 end},
    {"~1.5", function() return ~id(1.5) end},
    {"1 << 0.5", function() return id(1) << 0.5 end},
    {"1e100 >> 1", function() return id(1e100) >> 1 end},
  }
  for _, r in ipairs(nonint) do err(r[2], "number has no integer representation", r[1]) end
  err(function() local x = 1.5; return x | 1 end, "number (local 'x') has no integer representation", "names a local float")
  local t = {f = 2.5}
  err(function() return t.f & 1 end, "number (field 'f') has no integer representation", "names a field float")
  err(function() return 1 & t.f end, "number (field 'f') has no integer representation", "names a second-operand field")
end

-- Strings are NOT converted by bitwise operators (§3.4.3).
do
  err(function() return "1" | 0 end, "attempt to perform bitwise operation on a string value (constant '1')", "string | int")
  err(function() local s = "3"; return s & 1 end, "attempt to perform bitwise operation on a string value (local 's')", "local string")
  err(function() return 1 ~ "0x10" end, "attempt to perform bitwise operation on a string value (constant '0x10')", "int ~ string")
  err(function() return ~"1" end, "attempt to perform bitwise operation on a string value (constant '1')", "~string")
  err(function() return 1 << "1" end, "attempt to perform bitwise operation on a string value (constant '1')", "shift by string")
  err(function() return {} | 1 end, "attempt to perform bitwise operation on a table value", "table")
  err(function() return 1 & nil end, "attempt to perform bitwise operation on a nil value", "nil")
  err(function() return undefined_g >> 1 end, "attempt to perform bitwise operation on a nil value (global 'undefined_g')", "nil global")
  err(function() return true ~ 1 end, "attempt to perform bitwise operation on a boolean value", "boolean")
end

-- Exhaustive small table: every op against a reference computed with arithmetic.
do
  local function ref_and(a, b)
    local r, bit = 0, 1
    for _ = 0, 15 do
      if a % 2 == 1 and b % 2 == 1 then r = r + bit end
      a, b, bit = a // 2, b // 2, bit * 2
    end
    return r
  end
  local count = 0
  for a = 0, 40, 3 do
    for b = 0, 40, 5 do
      eq(a & b, ref_and(a, b), string.format("%d & %d", a, b))
      eq(a | b, a + b - ref_and(a, b), string.format("%d | %d", a, b))
      eq(a ~ b, a + b - 2 * ref_and(a, b), string.format("%d ~ %d", a, b))
      count = count + 3
    end
  end
  assert(count == 14 * 9 * 3, "all small pairs checked")
end
