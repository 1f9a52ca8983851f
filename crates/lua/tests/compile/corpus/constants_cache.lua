local a = "a"
local y = "foo"
local function g() return "foo" end
local z = "foo"
local b1 = 100000000000
local b2 = 100000000000.0
local b3 = 100000000000
local s = 2^53
local t = {1.5, nil, true, false, 1.5}
