-- §6.5 UTF-8 support: char, charpattern, codes, codepoint, len, offset, with
-- strict and lax decoding. utf8.offset's second result is 5.5-only
-- (5.5_utf8_offset.lua); here only its first result is used.

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

local function pack(...) return {n = select("#", ...), ...} end

-- char: encodings of boundary code points.
do
  local rows = {
    {0, "\0"}, {0x41, "A"}, {0x7F, "\x7F"}, {0x80, "\xC2\x80"}, {0x7FF, "\xDF\xBF"},
    {0x800, "\xE0\xA0\x80"}, {0xFFFF, "\xEF\xBF\xBF"}, {0x10000, "\xF0\x90\x80\x80"},
    {0x10FFFF, "\xF4\x8F\xBF\xBF"}, {0x110000, "\xF4\x90\x80\x80"}, {0x1FFFFF, "\xF7\xBF\xBF\xBF"},
    {0x200000, "\xF8\x88\x80\x80\x80"}, {0x3FFFFFF, "\xFB\xBF\xBF\xBF\xBF"},
    {0x4000000, "\xFC\x84\x80\x80\x80\x80"}, {0x7FFFFFFF, "\xFD\xBF\xBF\xBF\xBF\xBF"},
    {0xD800, "\xED\xA0\x80"}, {0xE9, "\u{E9}"}, {0x20AC, "€"},
  }
  for _, r in ipairs(rows) do
    assert(utf8.char(r[1]) == r[2], string.format("utf8.char(0x%X)", r[1]))
  end
  assert(utf8.char() == "", "no arguments")
  assert(utf8.char(72, 0xE9, 0x20AC, 0x1F600) == "H\u{E9}\u{20AC}\u{1F600}", "several code points")
  err(function() return utf8.char(-1) end, "bad argument #1 to 'char' (value out of range)", "negative")
  err(function() return utf8.char(65, 0x80000000) end, "bad argument #2 to 'char' (value out of range)", "too large")
  err(function() return utf8.char("x") end, "bad argument #1 to 'char' (number expected, got string)", "not a number")
end

-- charpattern
do
  assert(utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*", "charpattern text")
  local chars = {}
  for c in ("aé€😀"):gmatch(utf8.charpattern) do chars[#chars + 1] = c end
  assert(#chars == 4 and chars[2] == "é" and chars[4] == "😀", "charpattern splits characters")
end

-- codepoint
do
  local s = "aé€😀"
  local cps = pack(utf8.codepoint(s, 1, -1))
  assert(cps.n == 4 and cps[1] == 0x61 and cps[2] == 0xE9 and cps[3] == 0x20AC and cps[4] == 0x1F600, "all code points")
  assert(utf8.codepoint(s) == 0x61, "default i is 1")
  assert(utf8.codepoint(s, 2) == 0xE9, "code point at a byte position")
  assert(pack(utf8.codepoint(s, 2, 4)).n == 2, "characters starting between i and j")
  assert(pack(utf8.codepoint(s, 3, 2)).n == 0, "empty range")
  assert(utf8.codepoint(s, -4) == 0x1F600, "negative position")
  assert(utf8.codepoint("\u{7FFFFFFF}", 1, 1, true) == 0x7FFFFFFF, "lax accepts up to 2^31-1")
  assert(utf8.codepoint("\u{D800}", 1, 1, true) == 0xD800, "lax accepts surrogates")
  err(function() return utf8.codepoint("\xff") end, "invalid UTF-8 code", "invalid byte")
  err(function() return utf8.codepoint("\u{7FFFFFFF}") end, "invalid UTF-8 code", "strict rejects values above 10FFFF")
  err(function() return utf8.codepoint("\u{D800}") end, "invalid UTF-8 code", "strict rejects surrogates")
  err(function() return utf8.codepoint("\xC0\x80") end, "invalid UTF-8 code", "overlong encoding")
  err(function() return utf8.codepoint("\xE0\x80\x80", 1, 1, true) end, "invalid UTF-8 code", "lax still rejects overlong")
  err(function() return utf8.codepoint("\xC3") end, "invalid UTF-8 code", "truncated sequence")
  err(function() return utf8.codepoint("abc", 4) end, "bad argument #3 to 'codepoint' (out of bounds)", "i past the end makes j (= i) out of bounds")
  err(function() return utf8.codepoint("abc", 0) end, "bad argument #2 to 'codepoint' (out of bounds)", "i zero")
  err(function() return utf8.codepoint("abc", 1, 4) end, "bad argument #3 to 'codepoint' (out of bounds)", "j past the end")
end

-- len
do
  assert(utf8.len("") == 0 and utf8.len("abc") == 3 and utf8.len("aé€😀") == 4, "lengths")
  assert(utf8.len("aé€😀", 2) == 3 and utf8.len("aé€😀", 1, 3) == 2, "ranges")
  assert(utf8.len("abc", 4) == 0, "i at #s+1")
  assert(utf8.len("abc", -1) == 1, "negative i")
  local n, pos = utf8.len("ab\xffcd")
  assert(n == nil and pos == 3, "fail plus the position of the invalid byte")
  n, pos = utf8.len("abc\xE4")
  assert(n == nil and pos == 4, "truncated final sequence")
  n, pos = utf8.len("\xC0\x80")
  assert(n == nil and pos == 1, "overlong")
  n, pos = utf8.len("\u{D800}")
  assert(n == nil and pos == 1, "strict len rejects surrogates")
  assert(utf8.len("\u{D800}", 1, -1, true) == 1, "lax len accepts surrogates")
  assert(utf8.len("\u{7FFFFFFF}", 1, -1, true) == 1, "lax len accepts 6-byte sequences")
  err(function() return utf8.len("abc", 5) end, "bad argument #2 to 'len' (initial position out of bounds)", "i too large")
  err(function() return utf8.len("abc", 0) end, "bad argument #2 to 'len' (initial position out of bounds)", "i zero")
end

-- codes
do
  local got = {}
  for p, c in utf8.codes("aé€") do got[#got + 1] = p .. ":" .. c end
  assert(table.concat(got, " ") == "1:97 2:233 4:8364", "positions and code points")
  local n = 0
  for _ in utf8.codes("") do n = n + 1 end
  assert(n == 0, "empty string")
  local ok, msg = pcall(function() for _ in utf8.codes("a\xffb") do end end)
  assert(not ok and msg:find("invalid UTF-8 code", 1, true), "invalid byte raises")
  ok = pcall(function() for _ in utf8.codes("\u{D800}", true) do end end)
  assert(ok, "lax codes")
  ok = pcall(function() for _ in utf8.codes("\u{D800}") do end end)
  assert(not ok, "strict codes rejects surrogates")
end

-- offset (first result only)
do
  local s = "a\u{100}b\u{20AC}"   -- bytes: a(1) Ā(2,3) b(4) €(5,6,7)
  local rows = {
    {1, nil, 1}, {2, nil, 2}, {3, nil, 4}, {4, nil, 5}, {5, nil, 8}, {6, nil, nil},
    {-1, nil, 5}, {-2, nil, 4}, {-3, nil, 2}, {-4, nil, 1}, {-5, nil, nil},
    {0, 3, 2}, {0, 2, 2}, {0, 6, 5}, {0, 8, 8}, {1, 4, 4}, {2, 2, 4}, {-1, 4, 2},
  }
  for _, r in ipairs(rows) do
    local got
    if r[2] == nil then got = (utf8.offset(s, r[1])) else got = (utf8.offset(s, r[1], r[2])) end
    assert(got == r[3], string.format("utf8.offset(s, %d, %s) = %s, expected %s", r[1], tostring(r[2]), tostring(got), tostring(r[3])))
  end
  err(function() return utf8.offset(s, 1, 3) end, "initial position is a continuation byte", "n ~= 0 from a continuation byte")
  err(function() return utf8.offset(s, 1, 9) end, "bad argument #3 to 'offset' (position out of bounds)", "i past #s+1")
end
