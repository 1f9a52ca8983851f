-- lua5.5-only
-- Lua 5.5 does not emulate __le with `not (b < a)` (Debian's 5.4 does, with 5.3 compatibility).

local mt = {__lt = function(a, b) return a.v < b.v end}
local x, y = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
assert(x < y and not (y < x), "__lt works")
local ok, msg = pcall(function() return x <= y end)
assert(not ok and msg:find("attempt to compare two table values", 1, true), "no __le means <= fails: " .. tostring(msg))
ok, msg = pcall(function() return y >= x end)
assert(not ok and msg:find("attempt to compare two table values", 1, true), ">= also fails without __le")
