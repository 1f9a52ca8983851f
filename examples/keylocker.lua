--- keylocker: the Konami code (up up down down left right left right, then ctrl and alt)
--- locks the keyboard; typing it again unlocks it. While locked, every key event is
--- swallowed before the console sees it.
--
--     lunatik run examples/keylocker hardirq
local notifier = require("notifier")
local notify = require("linux.notify")
local kbd = require("linux.kbd")

-- Key codes, matched as the keys are released.
local UP, DOWN, LEFT, RIGHT, LEFTCTRL, LEFTALT = 103, 108, 105, 106, 29, 56
local combination = {UP, UP, DOWN, DOWN, LEFT, RIGHT, LEFT, RIGHT, LEFTCTRL, LEFTALT}
local matched = 0
local locked = false

-- True when `code` completes the combination.
local function advance(code)
	if combination[matched + 1] == code then
		matched = matched + 1
	else
		matched = combination[1] == code and 1 or 0
	end
	if matched == #combination then
		matched = 0
		return true
	end
	return false
end

notifier.keyboard(function(event, down, shift, code)
	if event == kbd.KEYCODE and not down and advance(code) then
		locked = not locked
	end
	return locked and notify.STOP or notify.OK
end)
