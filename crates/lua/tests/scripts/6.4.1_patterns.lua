-- §6.4.1 Patterns: character classes, sets, quantifiers, anchors, captures
-- (including position captures and back-references), %b, %f, and the
-- functions find, match, gmatch and gsub.

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  -- 5.4.6 and 5.5 add " in replacement string" to capture errors of gsub replacements.
  msg = msg:gsub("^(invalid capture index %%%d+) in replacement string$", "%1")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

local function pack(...) return {n = select("#", ...), ...} end
local function show(t)
  local parts = {}
  for i = 1, t.n do parts[i] = type(t[i]) == "string" and string.format("%q", t[i]) or tostring(t[i]) end
  return "(" .. table.concat(parts, ", ") .. ")"
end
local function expect(got, what, ...)
  local e = pack(...)
  local ok = got.n == e.n
  for i = 1, e.n do ok = ok and got[i] == e[i] end
  assert(ok, what .. ": got " .. show(got) .. ", expected " .. show(e))
end

-- Character classes: each class against every byte, checked against a definition.
do
  local function in_range(c, lo, hi) return c >= lo and c <= hi end
  local defs = {
    a = function(c) return in_range(c, 65, 90) or in_range(c, 97, 122) end,
    d = function(c) return in_range(c, 48, 57) end,
    l = function(c) return in_range(c, 97, 122) end,
    u = function(c) return in_range(c, 65, 90) end,
    s = function(c) return c == 32 or in_range(c, 9, 13) end,
    w = function(c) return in_range(c, 48, 57) or in_range(c, 65, 90) or in_range(c, 97, 122) end,
    x = function(c) return in_range(c, 48, 57) or in_range(c, 65, 70) or in_range(c, 97, 102) end,
    c = function(c) return c < 32 or c == 127 end,
    p = function(c) return (in_range(c, 33, 47) or in_range(c, 58, 64) or in_range(c, 91, 96) or in_range(c, 123, 126)) end,
    g = function(c) return in_range(c, 33, 126) end,
  }
  for cls, def in pairs(defs) do
    for c = 0, 255 do
      local ch = string.char(c)
      local want = def(c) and c < 128
      assert((ch:find("%" .. cls) ~= nil) == want, string.format("%%%s on byte %d", cls, c))
      assert((ch:find("%" .. cls:upper()) ~= nil) == not want, string.format("%%%s on byte %d", cls:upper(), c))
    end
  end
  assert(("."):find("%.") == 1 and ("a"):find("%.") == nil, "%. escapes a magic character")
  assert(("%"):find("%%") == 1, "%% matches a percent")
  assert(("x"):find(".") == 1 and ("\0"):find(".") == 1 and ("\n"):find(".") == 1, ". matches every byte")
end

-- Sets.
do
  local rows = {
    {"[abc]", "b", true}, {"[abc]", "d", false}, {"[^abc]", "d", true}, {"[^abc]", "a", false},
    {"[a-z]", "m", true}, {"[a-z]", "M", false}, {"[%d%s]", " ", true}, {"[%d%s]", "x", false},
    {"[%a_]", "_", true}, {"[-a]", "-", true}, {"[a-]", "-", true}, {"[]]", "]", true},
    {"[^]]", "]", false}, {"[^]]", "x", true}, {"[%]]", "]", true}, {"[a%-z]", "-", true},
    {"[a%-z]", "b", false}, {"[%^]", "^", true}, {"[x^]", "^", true}, {"[%w%.]", ".", true},
    {"[\0-\31]", "\10", true}, {"[\128-\255]", "\200", true}, {"[z-a]", "m", false},
  }
  for _, r in ipairs(rows) do
    assert((r[2]:find("^" .. r[1] .. "$") ~= nil) == r[3], string.format("%s against %q", r[1], r[2]))
  end
end

-- Quantifiers and anchors.
do
  expect(pack(("aaab"):find("a*")), "a* greedy", 1, 3)
  expect(pack(("aaab"):find("a-b")), "a-b lazy still reaches b", 1, 4)
  expect(pack(("aaab"):match("^(a-)")), "a- matches empty", "")
  expect(pack(("aaab"):find("a+")), "a+", 1, 3)
  expect(pack(("b"):find("a+")), "a+ needs one", nil)
  expect(pack(("ab"):find("a?b")), "a? present", 1, 2)
  expect(pack(("b"):find("a?b")), "a? absent", 1, 1)
  expect(pack(("xaaay"):find("a*", 2)), "init inside the run", 2, 4)
  expect(pack(("xyz"):find("a*")), "a* matches empty at 1", 1, 0)
  expect(pack(("hello"):find("^h")), "^ anchor", 1, 1)
  expect(pack(("hello"):find("^e")), "^ anchor fails", nil)
  expect(pack(("hello"):find("o$")), "$ anchor", 5, 5)
  expect(pack(("hello"):find("l$")), "$ anchor fails", nil)
  expect(pack(("a^b"):find("a^b")), "^ not at the start is literal", 1, 3)
  expect(pack(("a$b"):find("a$b")), "$ not at the end is literal", 1, 3)
  expect(pack(("hello"):find("^hello$")), "both anchors", 1, 5)
  expect(pack(("hello"):find("^", 3)), "^ with init anchors at init", 3, 2)
  expect(pack(("<<a>>"):match("<(.*)>")), "greedy .*", "<a>")
  expect(pack(("<<a>>"):match("<(.-)>")), "lazy .-", "<a")
  expect(pack(("  trim  "):match("^%s*(.-)%s*$")), "trim idiom", "trim")
  expect(pack(("key = value"):match("^(%w+)%s*=%s*(%w+)$")), "key/value", "key", "value")
end

-- Captures: position captures, nested captures, back-references.
do
  expect(pack(("hello"):match("()ll()")), "position captures", 3, 5)
  expect(pack(("hello"):find("l(l)")), "find returns captures after indices", 3, 4, "l")
  expect(pack(("abc"):match("((a)(b))")), "nested captures in order of '('", "ab", "a", "b")
  expect(pack(("abcabc"):match("(abc)%1")), "back-reference", "abc")
  expect(pack(('say "hi" now'):match("([\"'])(.-)%1")), "quote matching", '"', "hi")
  expect(pack(("xyz"):match("()")), "empty position capture", 1)
  expect(pack(("abc"):match("a(.-)()c")), "empty capture and position", "b", 3)
  expect(pack(("aa"):match("(a*(.?))")), "nested with an empty inner", "aa", "")
  expect(pack(("abc"):match("")), "empty pattern matches the empty string", "")
  expect(pack(("abc"):match(".", -1)), "negative init", "c")
  expect(pack(("abc"):match(".", 10)), "init past the end", nil)
  expect(pack(("abc"):find("", 10)), "empty pattern past the end", nil)
  expect(pack(("abc"):find("", 4)), "empty pattern at #s+1", 4, 3)
  err(function() return ("a"):match("(") end, "unfinished capture", "unfinished capture")
  err(function() return ("a"):match(")") end, "invalid pattern capture", "unmatched ')'")
  err(function() return ("a"):match("%1") end, "invalid capture index %1", "back-reference to nothing")
  err(function() return ("a"):match("(a)%2") end, "invalid capture index %2", "back-reference too high")
  err(function() return ("a"):match("[a") end, "malformed pattern (missing ']')", "unclosed set")
  err(function() return ("a"):match("%") end, "malformed pattern (ends with '%')", "trailing %")
  err(function() return ("a"):match("%b") end, "malformed pattern (missing arguments to '%b')", "%b without arguments")
  err(function() return ("a"):match("%f") end, "missing '[' after '%f' in pattern", "%f without a set")
  err(function() return ("a"):match("(()") end, "unfinished capture", "unfinished outer capture")
end

-- %b and %f
do
  expect(pack(("f(a(b)c)d"):match("%b()")), "%b balanced", "(a(b)c)")
  expect(pack(("f(a(b c"):match("%b()")), "%b unbalanced", nil)
  expect(pack(("[[x]]"):match("%b[]")), "%b brackets", "[[x]]")
  expect(pack(("if x then y end end"):match("%bie")), "%b with letters", "if x the")
  expect(pack(("THE (quick) fox"):find("%f[%a]%a+%f[%A]")), "%f word boundary", 1, 3)
  local words = {}
  for w in ("THE (quick) fox"):gmatch("%f[%a]%a+%f[%A]") do words[#words + 1] = w end
  assert(#words == 3 and words[2] == "quick" and words[3] == "fox", "%f finds every word")
  expect(pack(("abc"):find("%f[\0]")), "%f[\0] at the end", 4, 3)
  expect(pack(("abc"):find("%f[^\0]")), "%f[^\0] at the start", 1, 0)
  expect(pack(("a1"):find("%f[%d]")), "%f frontier into digits", 2, 1)
end

-- gmatch
do
  local all = {}
  for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do all[#all + 1] = k .. v end
  assert(table.concat(all, " ") == "a1 b2 c3", "gmatch with captures")
  local n = 0
  for w in ("one two  three"):gmatch("%a+") do n = n + 1 end
  assert(n == 3, "gmatch without captures")
  local empties = {}
  for pos in ("abc"):gmatch("()") do empties[#empties + 1] = pos end
  assert(table.concat(empties, ",") == "1,2,3,4", "empty matches at every position")
  local parts = {}
  for p in ("a,,b"):gmatch("([^,]*)") do parts[#parts + 1] = "[" .. p .. "]" end
  assert(table.concat(parts) == "[a][][b]", "gmatch after a non-empty match does not repeat an empty one: " .. table.concat(parts))
  local anchored = {}
  for w in ("a^aa^a"):gmatch("^a") do anchored[#anchored + 1] = w end
  assert(#anchored == 2 and anchored[1] == "^a", "^ in gmatch is not an anchor (it matches a literal caret)")
  local from = {}
  for w in ("abcd"):gmatch(".", 3) do from[#from + 1] = w end
  assert(table.concat(from) == "cd", "gmatch with init")
  local it = ("xy"):gmatch(".")
  assert(it() == "x" and it() == "y" and it() == nil, "gmatch iterator called directly")
end

-- gsub with string, table and function replacements.
do
  expect(pack(("hello world"):gsub("o", "0")), "string replacement", "hell0 w0rld", 2)
  expect(pack(("hello world"):gsub("o", "0", 1)), "max replacements", "hell0 world", 1)
  expect(pack(("hello"):gsub("", "-")), "empty pattern", "-h-e-l-l-o-", 6)
  expect(pack(("abc"):gsub("%w", "%0%0")), "%0 is the whole match", "aabbcc", 3)
  expect(pack(("hello world"):gsub("(%w+) (%w+)", "%2 %1")), "swap captures", "world hello", 1)
  expect(pack(("abc"):gsub("b", "%%")), "%% in the replacement", "a%c", 1)
  expect(pack(("abc"):gsub("(b)", "[%1]")), "%1", "a[b]c", 1)
  expect(pack(("abc"):gsub("b", "%1")), "%1 without captures is the whole match", "abc", 1)
  expect(pack(("a.b"):gsub("%.", "%%.")), "escape in replacement", "a%.b", 1)
  local t = {name = "Lua", version = 5}
  expect(pack(("$name $version $missing"):gsub("%$(%w+)", t)), "table replacement", "Lua 5 $missing", 3)
  expect(pack(("abc"):gsub("%w", function(c) return c:upper() .. "." end)), "function replacement", "A.B.C.", 3)
  expect(pack(("abc"):gsub("%w", function(c) if c == "b" then return false end end)), "false or nil keeps the match", "abc", 3)
  expect(pack(("x=1 y=2"):gsub("(%w)=(%w)", function(k, v) return v .. "=" .. k end)), "function gets all captures", "1=x 2=y", 2)
  expect(pack(("abc"):gsub("()", "%1")), "position capture in replacement", "1a2b3c4", 4)
  expect(pack(("abc"):gsub(".", {a = 1, b = false})), "table value false keeps the match", "1bc", 3)
  expect(pack(("abc"):gsub("b", 7)), "number replacement", "a7c", 1)
  expect(pack(("abc"):gsub("x", "y")), "no match", "abc", 0)
  expect(pack(("abc"):gsub(".", "x", 0)), "zero replacements", "abc", 0)
  expect(pack(("abc"):gsub(".", "x", -1)), "negative max", "abc", 0)
  expect(pack(("a\0b"):gsub("\0", "Z")), "zero byte in a pattern", "aZb", 1)
  expect(pack(("abab"):gsub("^ab", "X")), "anchored gsub replaces once", "Xab", 1)
  err(function() return ("abc"):gsub(".", {a = true}) end, "invalid replacement value (a boolean)", "table value true")
  err(function() return ("abc"):gsub(".", function() return {} end) end, "invalid replacement value (a table)", "function returning a table")
  err(function() return ("abc"):gsub(".", "%2") end, "invalid capture index %2", "bad capture in replacement")
  err(function() return ("abc"):gsub(".", "%x") end, "invalid use of '%' in replacement string", "bad % in replacement")
  err(function() return ("abc"):gsub(".", true) end, "bad argument #2 to 'gsub' (string/function/table expected, got boolean)", "boolean replacement (method call: self is not counted)")
end

-- Long subjects and pathological patterns finish.
do
  local s = ("a"):rep(10000)
  expect(pack(s:find(("a"):rep(50) .. "$")), "long anchored match", 9951, 10000)
  expect(pack(s:gsub("a", "b")), "10000 replacements", ("b"):rep(10000), 10000)
  expect(pack((("x"):rep(15)):find(("x?"):rep(15) .. ("x"):rep(15))), "backtracking pattern (2^15 paths)", 1, 15)
  local ok, msg = pcall(string.rep, "(", 100)
  assert(ok, "rep of parentheses")
  ok, msg = pcall(string.find, "a", ("("):rep(40) .. "a" .. (")"):rep(40))
  assert(not ok and msg:find("too many captures", 1, true), "more than 32 captures: " .. tostring(msg))
end
