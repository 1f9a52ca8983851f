-- Keyboard notifiers in a hardirq runtime: the first records key codes and keysyms, swallows
-- 'b', fails on 'd' and spins on 'e'; `later` is the one the suite stops; `after` shows what
-- the chain passes on.
local notifier = require("notifier")
local notify = require("linux.notify")
local kbd = require("linux.kbd")

local KEY_B, KEY_D, KEY_E = 48, 32, 18
local down, shifted, keysym, types = {}, {}, {}, nil
local later_seen, after_seen = {}, {}

notifier.keyboard(function(event, isdown, shift, value)
	if event == kbd.KEYCODE then
		types = types or (type(isdown) .. " " .. type(shift) .. " " .. math.type(value))
		if isdown then
			down[value] = (down[value] or 0) + 1
			if shift then shifted[value] = true end
		end
		if value == KEY_B then return notify.STOP end
		if isdown and value == KEY_D then error("key failed on purpose") end
		if isdown and value == KEY_E then while true do end end
	elseif event == kbd.KEYSYM or event == kbd.UNICODE then
		keysym[value & 0xff] = true
	end
end)
local later = notifier.keyboard(function(event, isdown, shift, value)
	if event == kbd.KEYCODE and isdown then later_seen[value] = true end
end)
notifier.keyboard(function(event, isdown, shift, value)
	if event == kbd.KEYCODE and isdown then after_seen[value] = true end
end)

return function(op, k)
	if op == "down" then return down[k] or 0
	elseif op == "shifted" then return shifted[k] == true
	elseif op == "keysym" then return keysym[k] == true
	elseif op == "types" then return types
	elseif op == "later" then return later_seen[k] == true
	elseif op == "after" then return after_seen[k] == true
	elseif op == "stop" then later:stop(); return "stopped"
	end
end
