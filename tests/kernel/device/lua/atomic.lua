-- Creating a device may sleep: refused in a softirq runtime.
local device = require("device")
local ok, err = pcall(device.new, {name = "atomic"})
return function() return ok, err end
