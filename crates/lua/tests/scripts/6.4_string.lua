-- §6.4 String manipulation: byte, char, len, lower, upper, rep, reverse, sub,
-- plain find, and format. Patterns are in 6.4.1_patterns.lua, pack/unpack in
-- 6.4.2_pack.lua. Float formats avoid the default tostring of floats.

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

local function pack(...) return {n = select("#", ...), ...} end
local function list_eq(t, ...)
  local e = pack(...)
  if t.n ~= e.n then return false end
  for i = 1, e.n do if t[i] ~= e[i] then return false end end
  return true
end

-- string.sub: negative indices, clamping, huge values.
do
  local s = "hello world"
  local rows = {
    {1, 5, "hello"}, {7, nil, "world"}, {-5, nil, "world"}, {-5, -2, "worl"},
    {0, 3, "hel"}, {3, 2, ""}, {5, 5, "o"}, {-100, 3, "hel"}, {2, 100, "ello world"},
    {12, nil, ""}, {11, 11, "d"}, {-1, -1, "d"}, {0, 0, ""}, {-11, 1, "h"},
    {math.mininteger, math.maxinteger, "hello world"}, {math.maxinteger, math.mininteger, ""},
    {2, -2, "ello worl"}, {-3, 0, ""}, {1, -12, ""}, {1, -11, "h"},
  }
  for _, r in ipairs(rows) do
    local got = r[2] == nil and s:sub(r[1]) or s:sub(r[1], r[2])
    assert(got == r[3], string.format("sub(%d, %s) = %q, expected %q", r[1], tostring(r[2]), got, r[3]))
  end
  assert(("a\0b"):sub(2, 2) == "\0", "sub keeps embedded zeros")
  assert((""):sub(1) == "" and (""):sub(-1) == "", "sub of the empty string")
  err(function() return ("x"):sub() end, "bad argument #1 to 'sub' (number expected, got no value)", "sub without i")
  err(function() return ("x"):sub(1.5) end, "bad argument #1 to 'sub' (number has no integer representation)", "sub with 1.5")
  err(function() return string.sub() end, "bad argument #1 to 'sub' (string expected, got no value)", "string.sub()")
end

-- string.byte and string.char
do
  assert(("ABC"):byte() == 65, "byte defaults to the first character")
  assert(list_eq(pack(("ABC"):byte(1, -1)), 65, 66, 67), "byte of all characters")
  assert(list_eq(pack(("ABC"):byte(-1)), 67), "negative index")
  assert(list_eq(pack(("ABC"):byte(2, 10)), 66, 67), "j clamped")
  assert(list_eq(pack(("ABC"):byte(10))), "index past the end gives nothing")
  assert(list_eq(pack(("ABC"):byte(3, 2))), "empty range gives nothing")
  assert(list_eq(pack(("ABC"):byte(0))), "index 0 gives nothing")
  assert(("\0\255"):byte(1) == 0 and ("\0\255"):byte(2) == 255, "bytes are unsigned")
  assert(string.char() == "", "char with no arguments")
  assert(string.char(72, 105) == "Hi", "char")
  assert(string.char(0, 255) == "\0\255", "char of the extreme bytes")
  local all = {}
  for i = 0, 255 do all[#all + 1] = i end
  local s = string.char(table.unpack(all))
  assert(#s == 256, "all bytes")
  for i = 0, 255 do assert(s:byte(i + 1) == i, "round-trip of byte " .. i) end
  err(function() return string.char(256) end, "bad argument #1 to 'char' (value out of range)", "char(256)")
  err(function() return string.char(65, -1) end, "bad argument #2 to 'char' (value out of range)", "char(-1)")
  err(function() return string.char("x") end, "bad argument #1 to 'char' (number expected, got string)", "char('x')")
end

-- len, lower, upper, reverse
do
  assert(string.len("") == 0 and string.len("abc") == 3 and string.len("\0\0") == 2, "len")
  assert(("MiXeD 123 !"):lower() == "mixed 123 !" and ("MiXeD 123 !"):upper() == "MIXED 123 !", "case")
  assert(("\200\0A"):lower() == "\200\0a", "lower leaves non-ASCII bytes and zeros")
  assert(("àb"):upper() == "àB", "upper only maps ASCII in the C locale")
  assert(("abc"):reverse() == "cba" and (""):reverse() == "" and ("a"):reverse() == "a", "reverse")
  assert(("a\0b"):reverse() == "b\0a", "reverse with a zero byte")
  err(function() return string.len() end, "bad argument #1 to 'len' (string expected, got no value)", "len()")
  err(function() return string.upper({}) end, "bad argument #1 to 'upper' (string expected, got table)", "upper({})")
end

-- rep
do
  assert(("ab"):rep(3) == "ababab", "rep")
  assert(("ab"):rep(3, ",") == "ab,ab,ab", "rep with a separator")
  assert(("ab"):rep(1, ",") == "ab", "one copy has no separator")
  assert(("ab"):rep(0) == "" and ("ab"):rep(-5) == "" and ("ab"):rep(0, ",") == "", "zero or negative count")
  assert((""):rep(1000) == "", "empty string repeated")
  assert((""):rep(3, "x") == "xx", "empty string with a separator")
  assert(#("x"):rep(100000) == 100000, "long result")
  err(function() return ("x"):rep({}) end, "bad argument #1 to 'rep' (number expected, got table)", "rep count is a table")
  err(function() return string.rep() end, "bad argument #1 to 'rep' (string expected, got no value)", "rep()")
  err(function() return ("x"):rep(math.maxinteger) end, "resulting string too large", "rep too large")
  err(function() return ("x"):rep(1 << 40, "yy") end, "resulting string too large", "rep with separator too large")
end

-- plain find
do
  local s = "a.b.c"
  assert(list_eq(pack(s:find(".", 1, true)), 2, 2), "plain find of a magic character")
  assert(list_eq(pack(s:find("b.c", 1, true)), 3, 5), "plain substring")
  assert(list_eq(pack(s:find(".", 3, true)), 4, 4), "plain find from an init")
  assert(list_eq(pack(s:find(".", -1, true)), nil), "plain find from the last character")
  assert(list_eq(pack(s:find("", 1, true)), 1, 0), "empty needle at 1")
  assert(list_eq(pack(s:find("", 6, true)), 6, 5), "empty needle at #s+1")
  assert(list_eq(pack(s:find("", 7, true)), nil), "init past #s+1 fails")
  assert(list_eq(pack(s:find("", -100, true)), 1, 0), "init below 1 is 1")
  assert(list_eq(pack(s:find("x", 1, true)), nil), "not found")
  assert(list_eq(pack(("a\0b"):find("\0", 1, true)), 2, 2), "find a zero byte")
  assert(list_eq(pack(("aaa"):find("aa", 2, true)), 2, 3), "overlapping start")
end

-- format: integers
do
  local rows = {
    {"%d", 42, "42"}, {"%d", -42, "-42"}, {"%5d", 42, "   42"}, {"%-5d|", 42, "42   |"},
    {"%05d", 42, "00042"}, {"%+d", 42, "+42"}, {"% d", 42, " 42"}, {"%.3d", 7, "007"},
    {"%d", math.mininteger, "-9223372036854775808"}, {"%d", math.maxinteger, "9223372036854775807"},
    {"%i", 12, "12"}, {"%x", 255, "ff"}, {"%X", 255, "FF"}, {"%#x", 255, "0xff"}, {"%o", 8, "10"},
    {"%x", -1, "ffffffffffffffff"}, {"%08X", 0xBEEF, "0000BEEF"}, {"%c", 65, "A"},
    {"%u", 3, "3"}, {"%d", 3.0, "3"}, {"%5.2d", 3, "   03"}, {"%#o", 8, "010"},
  }
  for _, r in ipairs(rows) do
    local got = string.format(r[1], r[2])
    assert(got == r[3], string.format("format(%q, %s) = %q, expected %q", r[1], tostring(r[2]), got, r[3]))
  end
end

-- format: floats (values chosen so every printf agrees)
do
  local rows = {
    {"%f", 1.5, "1.500000"}, {"%.2f", 3.14159, "3.14"}, {"%10.3f", -2.5, "    -2.500"},
    {"%-10.1f|", 2.25, "2.2       |"}, {"%e", 12345.678, "1.234568e+04"}, {"%.0e", 5.0, "5e+00"},
    {"%E", 0.000123, "1.230000E-04"}, {"%g", 100000.0, "100000"}, {"%g", 1000000.0, "1e+06"},
    {"%g", 0.0001, "0.0001"}, {"%g", 0.00001, "1e-05"}, {"%.3g", 3.14159, "3.14"},
    {"%G", 1e-10, "1E-10"}, {"%.17g", 0.1, "0.10000000000000001"}, {"%.14g", 0.1, "0.1"},
    {"%a", 1.0, "0x1p+0"}, {"%a", 0.5, "0x1p-1"}, {"%A", 255.5, "0X1.FFP+7"}, {"%.1f", 0.05, "0.1"},
    {"%.0f", 0.5, "0"}, {"%.0f", 1.5, "2"}, {"%.0f", 2.5, "2"}, {"%f", -0.0, "-0.000000"},
    {"%.3f", 2, "2.000"}, {"%g", 2, "2"}, {"%.20f", 0.5, "0.50000000000000000000"},
    {"%f", math.huge, "inf"}, {"%f", -math.huge, "-inf"}, {"%e", math.huge, "inf"},
    {"%5.1f", 9.96, " 10.0"}, {"%+.1f", 1.0, "+1.0"}, {"%#.0f", 1.0, "1."},
    {"%.15g", 2 ^ 53, "9.00719925474099e+15"}, {"%.17g", 2 ^ 53, "9007199254740992"},
    {"%.99f", 1.0, "1." .. ("0"):rep(99)},
  }
  for _, r in ipairs(rows) do
    local got = string.format(r[1], r[2])
    assert(got == r[3], string.format("format(%q) = %q, expected %q", r[1], got, r[3]))
  end
end

-- format: strings, %q, %%
do
  assert(string.format("%s", "x") == "x" and string.format("%s", 1) == "1", "%s")
  assert(string.format("%5s|%-5s|", "ab", "cd") == "   ab|cd   |", "%s widths")
  assert(string.format("%.2s", "abcdef") == "ab", "%s precision")
  assert(string.format("%s", setmetatable({}, {__tostring = function() return "T!" end})) == "T!", "%s uses __tostring")
  assert(string.format("%s %s", true, nil) == "true nil", "%s of booleans and nil")
  assert(string.format("%%") == "%" and string.format("100%%") == "100%", "%%")
  assert(string.format("a%sb", "\0") == "a\0b", "%s with a zero byte")
  assert(string.format("%s", ("x"):rep(1000)) == ("x"):rep(1000), "long %s")
  assert(string.format("no directives") == "no directives", "plain format")
  local q = string.format("%q", 'a "quoted"\n\\ \0 \1 \127 \r')
  assert(q == '"a \\"quoted\\"\\\n\\\\ \\0 \\1 \\127 \\13"', "%q escapes: " .. q)
  assert(string.format("%q", "\0001") == '"\\0001"', "%q of a zero followed by a digit")
  assert(string.format("%q", 1) == "1" and string.format("%q", -7) == "-7", "%q of integers")
  assert(string.format("%q", math.mininteger) == "0x8000000000000000", "%q of mininteger")
  assert(string.format("%q", 1.5) == "0x1.8p+0", "%q of a float is hex")
  assert(string.format("%q", math.huge) == "1e9999" and string.format("%q", -math.huge) == "-1e9999", "%q of infinities")
  assert(string.format("%q", 0 / 0) == "(0/0)", "%q of NaN")
  assert(string.format("%q", true) == "true" and string.format("%q", nil) == "nil", "%q of literals")
  assert(load("return " .. string.format("%q", "round\ntrip\0\255"))() == "round\ntrip\0\255", "%q round-trips")
  err(function() return string.format("%q", {}) end, "bad argument #2 to 'format' (value has no literal form)", "%q of a table")
  err(function() return string.format("%d") end, "bad argument #2 to 'format' (no value)", "missing argument")
  err(function() return string.format("%d", "x") end, "bad argument #2 to 'format' (number expected, got string)", "non-numeric %d")
  err(function() return string.format("%y", 1) end, "invalid conversion '%y' to 'format'", "invalid conversion")
  err(function() return string.format("%", 1) end, "invalid conversion '%' to 'format'", "lone %")
  local okw, mw = pcall(string.format, "%100d", 1)
  assert(not okw and mw:find("invalid conversion", 1, true), "width too long: " .. tostring(mw))
  err(function() return string.format("%10q", "x") end, "specifier '%q' cannot have modifiers", "%q with a width")
  err(function() return string.format("%c") end, "bad argument #2 to 'format' (no value)", "%c without argument")
end

-- Methods through the string metatable.
do
  local s = "Lua"
  assert(s:len() == 3 and s:upper() == "LUA" and s:byte(1) == 76, "methods")
  assert(("%d-%s"):format(1, "x") == "1-x", "format as a method")
  assert(#s == s:len(), "# agrees with len")
end
