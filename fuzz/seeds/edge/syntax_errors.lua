local cases = {"x = ", "for i = 1 do end", "goto nowhere", "local x <foo> = 1", "local x <const> = 1; x = 2", "break", "::a:: ::a::", "return return", "f(", "a.b:c = 1", "x = 1 1", "local function end", "\"unfinished", "[[unfinished", "--[[ unfinished", "x = 0x", "x = 1e", "x = 3..4", "x = \"\\q\"", "x = \"\\u{110000000}\"", "x = \"\\300\"", "goto l; local y; ::l:: print(y)", "(f)() = 1", "...", "function f() return ... end", "local a = {...}"}
local n = 0
for _, c in ipairs(cases) do local f, e = load(c) if not f then n = n + 1 end end
return n
