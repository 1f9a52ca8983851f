-- §6.7 Mathematical functions: subtypes of results, integer/float behaviour of
-- abs/ceil/floor/fmod/max/min/modf/tointeger/type/ult, elementary functions,
-- and random with its argument rules (not its sequence).

local maxi, mini, inf = math.maxinteger, math.mininteger, math.huge

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

local function same(a, b)
  if math.type(a) ~= math.type(b) then return false end
  if a ~= a then return b ~= b end
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
local function near(got, expect, what)
  assert(math.abs(got - expect) <= 1e-12 * math.max(1, math.abs(expect)), what .. ": got " .. show(got))
end

-- Constants.
do
  eq(math.maxinteger, 0x7fffffffffffffff, "maxinteger")
  eq(math.mininteger, -0x7fffffffffffffff - 1, "mininteger")
  assert(math.huge > 1e308 and math.huge == 1 / 0 and math.type(math.huge) == "float", "huge")
  eq(math.pi, 3.141592653589793, "pi")
end

-- type, tointeger, ult
do
  assert(math.type(1) == "integer" and math.type(1.0) == "float" and math.type("1") == nil and math.type({}) == nil, "math.type")
  err(function() return math.type() end, "bad argument #1 to 'type' (value expected)", "math.type()")
  eq(math.tointeger(3.0), 3, "tointeger of an integral float")
  eq(math.tointeger(-0.0), 0, "tointeger of -0.0")
  assert(math.tointeger(3.5) == nil and math.tointeger(inf) == nil and math.tointeger(2 ^ 63) == nil, "non-convertible floats")
  eq(math.tointeger(maxi), maxi, "tointeger of an integer")
  assert(math.ult(1, 2) and not math.ult(2, 1) and not math.ult(1, 1), "ult on small values")
  assert(math.ult(1, -1) and not math.ult(-1, 1), "negative numbers are large unsigned")
  assert(math.ult(maxi, mini), "maxinteger < mininteger unsigned")
  err(function() return math.ult(1.5, 2) end, "bad argument #1 to 'ult' (number has no integer representation)", "ult with a float")
end

-- abs
do
  eq(math.abs(-5), 5, "abs integer")
  eq(math.abs(5), 5, "abs positive")
  eq(math.abs(mini), mini, "abs(mininteger) wraps")
  eq(math.abs(-2.5), 2.5, "abs float")
  eq(math.abs(-0.0), 0.0, "abs(-0.0)")
  eq(math.abs(-inf), inf, "abs(-inf)")
  err(function() return math.abs() end, "bad argument #1 to 'abs' (number expected, got no value)", "abs()")
  err(function() return math.abs("x") end, "bad argument #1 to 'abs' (number expected, got string)", "abs('x')")
end

-- floor and ceil return integers when the result fits.
do
  local rows = {
    {3.7, 3, 4}, {-3.7, -4, -3}, {3.0, 3, 3}, {-0.0, 0, 0}, {0.5, 0, 1}, {-0.5, -1, 0},
    {5, 5, 5}, {mini, mini, mini}, {maxi, maxi, maxi}, {2 ^ 62, 1 << 62, 1 << 62},
    {-2 ^ 63, mini, mini}, {2 ^ 63, 2 ^ 63, 2 ^ 63}, {1e100, 1e100, 1e100},
    {-1e100, -1e100, -1e100}, {inf, inf, inf}, {-inf, -inf, -inf},
  }
  for _, r in ipairs(rows) do
    eq(math.floor(r[1]), r[2], "floor(" .. show(r[1]) .. ")")
    eq(math.ceil(r[1]), r[3], "ceil(" .. show(r[1]) .. ")")
  end
  local f = math.floor(0 / 0)
  assert(f ~= f, "floor(NaN) is NaN")
end

-- fmod
do
  eq(math.fmod(7, 3), 1, "fmod integers")
  eq(math.fmod(-7, 3), -1, "fmod truncates towards zero")
  eq(math.fmod(7, -3), 1, "fmod sign follows the dividend")
  eq(math.fmod(mini, -1), 0, "fmod(mininteger, -1)")
  eq(math.fmod(5.5, 2), 1.5, "fmod floats")
  eq(math.fmod(-5.5, 2), -1.5, "fmod negative float")
  eq(math.fmod(1, inf), 1.0, "fmod by inf")
  assert(math.fmod(1, 0.0) ~= math.fmod(1, 0.0), "fmod by 0.0 is NaN")
  err(function() return math.fmod(1, 0) end, "bad argument #2 to 'fmod' (zero)", "integer fmod by zero")
  eq(math.fmod(maxi, maxi), 0, "fmod(maxi, maxi)")
  eq(math.fmod(3, 2.0), 1.0, "mixed fmod is float")
end

-- modf
do
  local function modf(x) local a, b = math.modf(x); return {a, b} end
  local rows = {
    -- the integral part is an integer when it fits, as for floor and ceil
    {3.7, 3, 0.7}, {-3.7, -3, -0.7}, {5, 5, 0.0}, {-0.0, 0, 0.0}, {2 ^ 70, 2 ^ 70, 0.0},
    {inf, inf, 0.0}, {-inf, -inf, 0.0}, {0.5, 0, 0.5}, {-2.5, -2, -0.5},
  }
  for _, r in ipairs(rows) do
    local m = modf(r[1])
    eq(m[1], r[2], "modf int part of " .. show(r[1]))
    near(m[2], r[3], "modf frac part of " .. show(r[1]))
    assert(math.type(m[2]) == "float", "modf fraction is a float")
  end
  local a, b = math.modf(0 / 0)
  assert(a ~= a and b ~= b, "modf(NaN)")
end

-- max and min keep the subtype of the chosen argument.
do
  eq(math.max(1, 2, 3), 3, "max")
  eq(math.min(1, 2, 3), 1, "min")
  eq(math.max(1, 2.5), 2.5, "max picks a float")
  eq(math.max(2.0, 2), 2.0, "max keeps the first of equal values")
  eq(math.min(2, 2.0), 2, "min keeps the first of equal values")
  eq(math.max(-inf, mini), mini, "max with -inf")
  eq(math.min(maxi, inf), maxi, "min with inf")
  eq(math.max(7), 7, "single argument")
  err(function() return math.max() end, "bad argument #1 to 'max' (value expected)", "max()")
  err(function() return math.min() end, "bad argument #1 to 'min' (value expected)", "min()")
end

-- sqrt, exp, log, trigonometry
do
  eq(math.sqrt(4), 2.0, "sqrt is float")
  eq(math.sqrt(2) ^ 2, 2.0000000000000004, "sqrt(2)^2")
  assert(math.sqrt(-1) ~= math.sqrt(-1), "sqrt(-1) is NaN")
  eq(math.sqrt(inf), inf, "sqrt(inf)")
  eq(math.exp(0), 1.0, "exp(0)")
  near(math.exp(1), 2.718281828459045, "exp(1)")
  eq(math.log(1), 0.0, "log(1)")
  near(math.log(math.exp(2)), 2.0, "log(exp(2))")
  eq(math.log(8, 2), 3.0, "log base 2")
  eq(math.log(100, 10), 2.0, "log base 10")
  eq(math.log(1024, 4), 5.0, "log base 4")
  eq(math.log(0), -inf, "log(0)")
  near(math.log(27, 3), 3.0, "log base 3")
  eq(math.sin(0), 0.0, "sin(0)")
  near(math.sin(math.pi / 2), 1.0, "sin(pi/2)")
  eq(math.cos(0), 1.0, "cos(0)")
  near(math.cos(math.pi), -1.0, "cos(pi)")
  eq(math.tan(0), 0.0, "tan(0)")
  near(math.tan(math.pi / 4), 1.0, "tan(pi/4)")
  near(math.asin(1), math.pi / 2, "asin(1)")
  near(math.acos(1), 0.0, "acos(1)")
  near(math.atan(1), math.pi / 4, "atan(1)")
  near(math.atan(1, 1), math.pi / 4, "atan(1, 1)")
  near(math.atan(1, -1), 3 * math.pi / 4, "atan(1, -1) uses both signs")
  near(math.atan(-1, -1), -3 * math.pi / 4, "atan(-1, -1)")
  eq(math.atan(0, -1), math.pi, "atan(0, -1)")
  near(math.atan(1, 0), math.pi / 2, "atan(1, 0)")
  eq(math.deg(math.pi), 180.0, "deg")
  eq(math.rad(180), math.pi, "rad")
  assert(math.type(math.sin(0)) == "float" and math.type(math.exp(0)) == "float", "results are floats")
end

-- frexp/ldexp exist only with compatibility options; not tested.

-- random: ranges and argument errors (the sequence itself is not specified).
do
  math.randomseed(42)
  for _ = 1, 1000 do
    local f = math.random()
    assert(math.type(f) == "float" and f >= 0 and f < 1, "random() in [0,1)")
    local i = math.random(10)
    assert(math.type(i) == "integer" and i >= 1 and i <= 10, "random(m) in [1,m]")
    local j = math.random(-3, 3)
    assert(j >= -3 and j <= 3, "random(m, n) in [m,n]")
    local k = math.random(mini, maxi)
    assert(math.type(k) == "integer", "random over the whole range")
  end
  assert(math.random(5, 5) == 5, "degenerate interval")
  local seen = {}
  for _ = 1, 2000 do seen[math.random(6)] = true end
  for v = 1, 6 do assert(seen[v], "random(6) produces " .. v) end
  math.randomseed(7)
  local a1, a2 = math.random(1000000), math.random(1000000)
  math.randomseed(7)
  local b1, b2 = math.random(1000000), math.random(1000000)
  assert(a1 == b1 and a2 == b2, "the same seed gives the same sequence")
  assert(math.type(math.random(0)) == "integer", "random(0) gives a random integer")
  err(function() return math.random(2, 1) end, "bad argument #1 to 'random' (interval is empty)", "empty interval")
  err(function() return math.random(0, -1) end, "bad argument #1 to 'random' (interval is empty)", "empty interval below zero")
  err(function() return math.random(1, 2, 3) end, "wrong number of arguments", "three arguments")
  err(function() return math.random(1.5) end, "bad argument #1 to 'random' (number has no integer representation)", "float bound")
end
