-- A device whose handlers fail: read raises, write returns a table.
local device = require("device")
device.new{
	name = "faulty",
	read = function() error("read failed on purpose") end,
	write = function() return {} end,
}
