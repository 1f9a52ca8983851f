local thread = require("thread")
local linux = require("linux")
return function()
	while not thread.shouldstop() do
		linux.schedule(10)
	end
	print("loop stopped")
end
