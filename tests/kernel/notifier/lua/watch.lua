-- Counts key presses by key code (a keyboard notifier in a hardirq runtime).
local notifier = require("notifier")
local kbd = require("linux.kbd")
local down = {}
notifier.keyboard(function(event, isdown, shift, value)
	if event == kbd.KEYCODE and isdown then down[value] = (down[value] or 0) + 1 end
end)
return function(op, k) return down[k] or 0 end
