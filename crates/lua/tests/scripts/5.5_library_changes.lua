-- lua5.5-only
-- Library behaviour new in 5.5: _VERSION, utf8.offset's second result,
-- table.create, pairs returning four values, collectgarbage("param").

assert(_VERSION == "Lua 5.5", "_VERSION")

-- utf8.offset returns the start and the end of the character
local s = "a\u{100}b\u{20AC}"   -- a(1) Ā(2,3) b(4) €(5,6,7)
local i, j = utf8.offset(s, 2)
assert(i == 2 and j == 3, "offset of a two-byte character: " .. tostring(i) .. "," .. tostring(j))
i, j = utf8.offset(s, 4)
assert(i == 5 and j == 7, "three-byte character")
i, j = utf8.offset(s, 1)
assert(i == 1 and j == 1, "one-byte character")
i, j = utf8.offset(s, 5)
assert(i == 8 and j == 8, "right after the end behaves as a '\\0' there")
i, j = utf8.offset(s, 0, 3)
assert(i == 2 and j == 3, "n == 0 gives the character containing byte i")
assert(utf8.offset(s, 6) == nil, "past the end is fail")

-- table.create
local t = table.create(100)
assert(type(t) == "table" and next(t) == nil and #t == 0, "table.create makes an empty table")
local h = table.create(0, 50)
h.x = 1
assert(h.x == 1, "with a hash hint")
for k = 1, 100 do t[k] = k end
assert(#t == 100, "preallocated table fills normally")
local ok, msg = pcall(table.create, -1)
assert(not ok and msg:find("bad argument #1 to", 1, true), "negative size: " .. tostring(msg))

-- pairs returns four values: next, t, nil, nil
local n = select("#", pairs({}))
assert(n == 4, "pairs returns four values, got " .. n)

-- collectgarbage("param")
local prev = collectgarbage("param", "pause")
assert(math.type(prev) == "integer", "param returns the previous value as an integer")
local old = collectgarbage("param", "pause", 150)
assert(collectgarbage("param", "pause") >= 140, "param sets a value (stored compressed)")
collectgarbage("param", "pause", old)
for _, name in ipairs({"minormul", "majorminor", "minormajor", "pause", "stepmul", "stepsize"}) do
  assert(math.type(collectgarbage("param", name)) == "integer", "parameter " .. name)
end
