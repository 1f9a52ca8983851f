-- A script that does not compile reports the syntax error and exits with 1.
--[[ expect:
]]
-- expect-error: 3.3_syntax_error.lua:6: 'end' expected (to close 'if' at line 5) near <eof>
if true then
