-- /dev/faulty: reads raise an error, so the runtime counts a hook error.
local device = require("device")
local driver = {name = "faulty"}
function driver:read() error("faulty read") end
device.new(driver)
