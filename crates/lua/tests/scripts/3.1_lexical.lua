-- §3.1 Lexical conventions: names, keywords, string literals and escapes,
-- long brackets, numerals (decimal, hex, hex floats), comments.

local function compile_error(src)
  local f, msg = load(src, "=src")
  assert(f == nil, "expected a compile error for: " .. src)
  return msg
end

local function compiles(src)
  local f, msg = load(src, "=src")
  assert(f, "expected to compile: " .. src .. " -> " .. tostring(msg))
  return f
end

-- Names are case sensitive; keywords are not names, but differently cased words are.
do
  local And, AND, _and, and_ = 1, 2, 3, 4
  assert(And == 1 and AND == 2 and _and == 3 and and_ == 4, "case-sensitive names")
  local _, __, _1, a_b_c = 5, 6, 7, 8
  assert(_ == 5 and __ == 6 and _1 == 7 and a_b_c == 8, "underscore names")
  for _, kw in ipairs({"and", "break", "do", "else", "elseif", "end", "false",
                       "for", "function", "goto", "if", "in", "local", "nil",
                       "not", "or", "repeat", "return", "then", "true", "until",
                       "while"}) do
    assert(load("local " .. kw .. " = 1") == nil, "keyword usable as local: " .. kw)
    assert(load("local x = {" .. kw .. " = 1}") == nil, "keyword usable as field name: " .. kw)
    local t = assert(load("return {[\"" .. kw .. "\"] = 1}"))()
    assert(t[kw] == 1, "keyword as string key: " .. kw)
    local upper = kw:upper()
    local g = compiles("local " .. upper .. " = 7; return " .. upper)
    assert(g() == 7, "upper-cased keyword is a name: " .. upper)
  end
  assert(compile_error("local 1a = 1") == "src:1: malformed number near '1a'", "names cannot start with a digit")
end

-- Whitespace: space, \f, \n, \r, \t, \v separate tokens.
do
  local f = compiles("return\f1\v+\t2\r\n+\r3\n")
  assert(f() == 6, "all ASCII whitespace separates tokens")
  assert(compiles("return 1--comment\n+1")() == 2, "short comment ends at newline")
  assert(compiles("return 1--[[long\ncomment]]+1")() == 2, "long comment")
  assert(compiles("return 1--[==[ ]] ]=] ]==]+1")() == 2, "long comment with level ignores other levels")
  assert(compiles("return 1--[=\n+1")() == 2, "'--[=' without second bracket is a short comment")
  assert(compiles("return 1 --[ [\n+1")() == 2, "'--[ [' is a short comment")
  assert(load("#!/bin/lua\nreturn 1") == nil, "load does not skip a first '#' line (only the standalone loader does)")
end

-- Short strings and every escape sequence.
do
  assert("\a" == string.char(7), "\\a is bell")
  assert("\b" == string.char(8), "\\b is backspace")
  assert("\f" == string.char(12), "\\f is form feed")
  assert("\n" == string.char(10), "\\n is newline")
  assert("\r" == string.char(13), "\\r is carriage return")
  assert("\t" == string.char(9), "\\t is tab")
  assert("\v" == string.char(11), "\\v is vertical tab")
  assert("\\" == string.char(92), "\\\\ is backslash")
  assert("\"" == string.char(34), "\\\" is double quote")
  assert('\'' == string.char(39), "\\' is single quote")
  assert('"' == "\"" and "'" == '\'', "unescaped other quote")
  assert("a\
b" == "a\nb", "backslash-newline is a newline")
  assert(compiles("return 'a\\\r\nb'")() == "a\nb", "backslash-CRLF is one newline")
  assert(compiles("return 'a\\\n\rb'")() == "a\nb", "backslash-LFCR is one newline")
  assert(compiles("return 'a\\\rb'")() == "a\nb", "backslash-CR is a newline")
  -- \z skips whitespace including newlines
  assert("a\z
         b" == "ab", "\\z skips newline and indentation")
  assert("a\z  b" == "ab", "\\z skips spaces")
  assert("a\zb" == "ab", "\\z with nothing to skip")
  assert("a\z

      \z  b" == "ab", "\\z repeated")
  -- \xXX
  assert("\x41\x42\x43" == "ABC", "\\x hex escapes")
  assert("\x00" == string.char(0) and #"\x00" == 1, "\\x00 embedded zero")
  assert("\xff\xFF\xfF" == string.char(255, 255, 255), "\\x case-insensitive digits")
  -- \ddd
  assert("\65\066\0671" == "ABC1", "decimal escapes up to three digits")
  assert("\0" == string.char(0) and "a\0b" ~= "a", "embedded zero keeps the rest")
  assert(#"a\0b\0" == 4, "length counts embedded zeros")
  assert("\255" == string.char(255), "\\255 is the largest decimal escape")
  assert("\9" == "\t" and "\09" == "\t" and "\0091" == "\t1", "decimal escape followed by a digit")
  assert('\97lo\10\04923"' == 'alo\n123"', "manual example")
  -- \u{XXX}
  assert("\u{41}" == "A", "\\u{41}")
  assert("\u{0}" == "\0", "\\u{0}")
  assert("\u{7F}" == "\127", "\\u{7F} one byte")
  assert("\u{80}" == "\xC2\x80", "\\u{80} two bytes")
  assert("\u{7FF}" == "\xDF\xBF", "\\u{7FF} two bytes")
  assert("\u{800}" == "\xE0\xA0\x80", "\\u{800} three bytes")
  assert("\u{FFFF}" == "\xEF\xBF\xBF", "\\u{FFFF} three bytes")
  assert("\u{10000}" == "\xF0\x90\x80\x80", "\\u{10000} four bytes")
  assert("\u{10FFFF}" == "\xF4\x8F\xBF\xBF", "\\u{10FFFF} four bytes")
  assert("\u{D800}" == "\xED\xA0\x80", "\\u accepts surrogates")
  assert("\u{200000}" == "\xF8\x88\x80\x80\x80", "\\u{200000} five bytes")
  assert("\u{7FFFFFFF}" == "\xFD\xBF\xBF\xBF\xBF\xBF", "\\u{7FFFFFFF} six bytes")
  assert("\u{000000041}" == "A", "\\u with leading zeros")
  assert("\u{e9}" == "\u{E9}", "\\u hex digits case-insensitive")
  -- invalid escapes are compile errors
  assert(compile_error("return '\\q'") == "src:1: invalid escape sequence near ''\\q'", "invalid escape message")
  assert(compile_error("return '\\256'") == "src:1: decimal escape too large near ''\\256''", "decimal escape too large")
  assert(compile_error("return '\\999'"):find("decimal escape too large", 1, true), "\\999 too large")
  assert(compile_error("return '\\u{80000000}'"):find("UTF-8 value too large", 1, true), "\\u too large")
  assert(compile_error("return '\\u{zz}'"):find("hexadecimal digit expected", 1, true), "\\u needs hex digits")
  assert(compile_error("return '\\u41'"):find("missing '{'", 1, true), "\\u needs braces")
  assert(compile_error("return '\\u{41'"):find("missing '}'", 1, true), "\\u needs closing brace")
  assert(compile_error("return '\\xg0'"):find("hexadecimal digit expected", 1, true), "\\x needs two hex digits")
  assert(compile_error("return '\\x5'"):find("hexadecimal digit expected", 1, true), "\\x needs exactly two digits")
  assert(compile_error("return 'abc") == "src:1: unfinished string near <eof>", "unfinished string at eof")
  assert(compile_error("return 'abc\ndef'") == "src:1: unfinished string near ''abc'", "unescaped newline in short string")
  assert(compile_error("return \"abc'") == "src:1: unfinished string near <eof>", "mismatched quotes")
end

-- Long strings: levels, first newline skipped, end-of-line normalisation, no escapes.
do
  assert([[abc]] == "abc", "level 0")
  assert([==[a]]b]=]c]==] == "a]]b]=]c", "closing brackets of other levels are content")
  assert([[
x]] == "x", "newline right after the opening bracket is skipped")
  assert([[

x]] == "\nx", "only the first newline is skipped")
  assert([[\n\t\z]] == "\\n\\t\\z", "no escapes in long strings")
  assert([=[[[]]]=] == "[[]]", "nested level-0 brackets inside level 1")
  assert(compiles("return [[a\r\nb]]")() == "a\nb", "CRLF normalised")
  assert(compiles("return [[a\n\rb]]")() == "a\nb", "LFCR normalised")
  assert(compiles("return [[a\rb]]")() == "a\nb", "CR normalised")
  assert(compiles("return [[a\r\n\r\nb]]")() == "a\n\nb", "two CRLF are two newlines")
  assert(compiles("return [[\r\nx]]")() == "x", "leading CRLF skipped")
  assert(compiles("return [==========[x]==========]")() == "x", "level 10")
  assert(compile_error("return [[abc"):find("unfinished long string", 1, true), "unfinished long string")
  assert(compile_error("return [=[abc]]"):find("unfinished long string (starting at line 1)", 1, true), "level mismatch")
  assert(compile_error("return [=abc]=]"):find("invalid long string delimiter", 1, true), "invalid delimiter")
  assert(compile_error("x = 1 --[[ never closed"):find("unfinished long comment", 1, true), "unfinished long comment")
  local manual = {
    'alo\n123"', "alo\n123\"", '\97lo\10\04923"', [[alo
123"]], [==[
alo
123"]==],
  }
  for i = 2, #manual do assert(manual[i] == manual[1], "manual's five equal literals #" .. i) end
end

-- Numerals.
do
  assert(math.type(3) == "integer" and math.type(3.0) == "float", "radix point makes a float")
  assert(math.type(3e0) == "float" and math.type(3E2) == "float", "exponent makes a float")
  assert(345 == 345 and 0xff == 255 and 0xBEBADA == 12499674, "integer constants")
  assert(0Xff == 255 and 0xFF == 0xff, "hex prefix and digits are case-insensitive")
  assert(3.1416 == 31416e-4 and 314.16e-2 == 3.1416 and 0.31416E1 == 3.1416, "float constants")
  assert(34e1 == 340.0 and math.type(34e1) == "float", "34e1")
  assert(0x0.1E == 0.1171875, "0x0.1E")
  assert(0xA23p-4 == 162.1875, "0xA23p-4")
  assert(0X1.921FB54442D18P+1 == math.pi, "hex pi")
  assert(0x1.fp10 == 1984.0, "manual's 0x1.fp10")
  assert(0x.8 == 0.5 and 0x8. == 8.0 and math.type(0x8.) == "float", "hex float forms")
  assert(0x1p4 == 16.0 and math.type(0x1p4) == "float", "binary exponent makes a float")
  assert(0x1P-1 == 0.5 and 0x1p+1 == 2.0, "exponent sign")
  assert(.5 == 0.5 and 5. == 5.0 and math.type(5.) == "float", "leading and trailing dot")
  assert(1e308 * 10 == math.huge, "overflowing float is inf")
  assert(1e-400 == 0.0, "underflowing literal is zero")
  -- decimal integer overflow makes a float; hex wraps around
  assert(9223372036854775807 == math.maxinteger, "maxinteger literal")
  assert(math.type(9223372036854775807) == "integer", "maxinteger literal is an integer")
  assert(math.type(9223372036854775808) == "float", "decimal overflow gives a float")
  assert(9223372036854775808 == 2.0^63, "decimal overflow value")
  assert(-9223372036854775808 == math.mininteger, "negated float equals mininteger")
  assert(math.type(-9223372036854775808) == "float", "negation applies to the float")
  assert(0x7fffffffffffffff == math.maxinteger, "hex maxinteger")
  assert(0xffffffffffffffff == -1, "hex wraps around to -1")
  assert(0x8000000000000000 == math.mininteger, "hex wraps to mininteger")
  assert(0x10000000000000000 == 0, "hex wraps modulo 2^64")
  assert(0x1ffffffffffffffff == -1, "hex wraps modulo 2^64 (2)")
  assert(math.type(0xffffffffffffffffff) == "integer", "long hex is still integer")
  assert(00012 == 12 and 0012.5 == 12.5, "leading zeros are decimal")
  assert(1e+2 == 100 and 1E-2 == 0.01, "exponent signs")
  -- malformed numerals
  for _, bad in ipairs({"3x", "0x", "1e", "1..2", "0x1p", "3.4.5", "1e+", "0xg", "08x", "1_000", "0b101", "3.e", "0x.p1"}) do
    local msg = compile_error("return " .. bad)
    assert(msg:find("malformed number near '", 1, true), "malformed numeral " .. bad .. ": " .. msg)
  end
  assert(compile_error("return 3x") == "src:1: malformed number near '3x'", "exact malformed message")
  assert(compiles("return 3 .. 4")() == "34", "spaces make '..' a concat")
  assert(compiles("return 0x1.0 .. ''")() == "1.0", "hex float literal 1.0")
end

-- Other tokens.
do
  assert(compiles("return 1//1, 1<<1, 1>>1, 1~=2, 2<=2, 2>=2, 1==1, 3~1")() == 1, "operator tokens")
  local f = compiles("local t = {1, 2; 3,}; return #t")
  assert(f() == 3, "both separators and trailing separator")
  assert(compile_error("x = @") == "src:1: unexpected symbol near '@'", "unknown character")
  assert(compile_error("x = }") == "src:1: unexpected symbol near '}'", "unexpected symbol message")
  assert(compile_error("return 1 1") == "src:1: <eof> expected near '1'", "eof expected")
  assert(compile_error("x = 1 +") == "src:1: unexpected symbol near <eof>", "unexpected eof")
  assert(compile_error("for i=1 do end") == "src:1: ',' expected near 'do'", "',' expected")
  assert(compile_error("f() = 1") == "src:1: syntax error near '='", "call is not assignable")
  assert(compile_error("a.b:c = 1") == "src:1: function arguments expected near '='", "method without args")
  assert(compile_error("local function end") == "src:1: <name> expected near 'end'", "name expected")
  assert(compile_error("x = (1\n\n+ 2") == "src:3: ')' expected (to close '(' at line 1) near <eof>", "unclosed paren names its line")
  assert(compile_error("if x then\n\n") == "src:3: 'end' expected (to close 'if' at line 1) near <eof>", "unclosed if")
  assert(compile_error("x = '\\q'\n"):match("^src:1:"), "line number of lexical error")
  assert(compile_error("\n\n\nx = = 1"):match("^src:4:"), "line counting with LF")
  assert(compile_error("\r\n\r\nx = = 1"):match("^src:3:"), "CRLF counts as one line")
  assert(compile_error("\n\r\n\rx = = 1"):match("^src:3:"), "LFCR counts as one line")
  assert(compile_error("--[[\n\n]] x = = 1"):match("^src:3:"), "long comment lines are counted")
  assert(compile_error("x = [[\n\n]] = 1"):match("^src:3:"), "long string lines are counted")
end
