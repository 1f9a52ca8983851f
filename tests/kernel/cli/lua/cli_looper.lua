-- A script for `lunatik run`/`spawn`: its body returns a function that sleeps in a loop
-- until its kernel thread is asked to stop.
local thread = require("thread")
local linux = require("linux")
return function()
	while not thread.shouldstop() do
		linux.schedule(10)
	end
end
