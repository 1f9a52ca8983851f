--- /dev/echo: reads return what the last write stored.
--
--     lunatik run examples/echo
--     echo hello > /dev/echo; cat /dev/echo
local device = require("device")
local stat = require("linux.stat")

local stored = ""

local driver = {name = "echo", mode = stat.IRUGO | stat.IWUGO}

function driver:read(len, off)
	local chunk = string.sub(stored, off + 1, off + len)
	return chunk, off + #chunk
end

function driver:write(buf, off)
	stored = buf
	return #buf
end

device.new(driver)
