--- /dev/passwd (read-only): every read returns random printable ASCII characters
-- (at most 64), for example `head -c 16 /dev/passwd`.
--
--     lunatik run examples/passwd
local device = require("device")
local linux = require("linux")
local stat = require("linux.stat")

local function nop() end -- nothing to do on open and release

local driver = {name = "passwd", open = nop, release = nop, mode = stat.IRUGO}

function driver:read(len)
	local chars = {}
	for i = 1, math.min(len, 64) do
		chars[i] = string.char(linux.random(32, 126))
	end
	return table.concat(chars)
end

device.new(driver)
