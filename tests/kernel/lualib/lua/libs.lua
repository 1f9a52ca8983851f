-- Requires the pure-Lua libraries in its body (an atomic runtime cannot load files later)
-- and uses them from resume, in whatever context it runs.
local class = require("class")
local util = require("util")
local net = require("net")
local struct = require("struct")

local pair = struct({size = 4, fields = {
	{name = "b", offset = 2, size = 2, signed = true},
	{name = "a", offset = 0, size = 2, signed = false},
}})

local Point = class()
function Point:sum()
	return self.x + self.y
end

return function()
	local a, b = pair:unpack(pair:pack(65535, -2))
	return util.bin2hex("\1\255"), net.ntoa(net.aton("10.0.0.1")), a, b, Point:new({x = 1, y = 2}):sum()
end
