-- A device kept only by its runtime: it goes away when the runtime stops.
local device = require("device")
device.new{name = "owned", mode = 0x1a4, read = function() return "" end}
return function() return "alive" end
