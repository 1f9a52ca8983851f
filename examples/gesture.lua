--- gesture: a HID driver for QEMU's USB mouse (0627:0001) that reads drags: a swipe up
--- (left button held, more than 100 units) locks the mouse, a swipe down unlocks it.
--- While locked, every report reaches the kernel emptied (no buttons, no motion).
--
--     lunatik run examples/gesture softirq
--     (with hid-generic unbound from the mouse, or before usbhid loads)
local hid = require("hid")

local THRESHOLD = 100
local drag = {x = 0, y = 0, on = false}
local locked = false

local driver = {name = "gesture", id_table = {{vendor = 0x0627, product = 0x0001}}}

-- Ends a drag: a long enough one is a swipe in its main direction.
local function swipe()
	local x, y = drag.x, drag.y
	drag.x, drag.y, drag.on = 0, 0, false
	if math.abs(x) <= THRESHOLD and math.abs(y) <= THRESHOLD then return end
	local direction
	if math.abs(x) > math.abs(y) then
		direction = x > 0 and "right" or "left"
	else
		direction = y > 0 and "down" or "up"
	end
	print(string.format("gesture: swipe %s (x=%d, y=%d)", direction, x, y))
	if direction == "up" and not locked then
		locked = true
		print("gesture: mouse locked")
	elseif direction == "down" and locked then
		locked = false
		print("gesture: mouse unlocked")
	end
end

-- Boot-protocol report: buttons, dx, dy (signed bytes).
function driver:raw_event(hdev, report, raw)
	if #raw < 3 then return end
	if raw:getbyte(0) & 1 == 1 then
		drag.x = drag.x + raw:getint8(1)
		drag.y = drag.y + raw:getint8(2)
		drag.on = true
	elseif drag.on then
		swipe()
	end
	if locked then
		for i = 0, #raw - 1 do raw:setbyte(i, 0) end
	end
end

hid.register(driver)
