-- A thread body that sleeps until stopped.
local thread = require("thread")
local linux = require("linux")
return function()
	while not thread.shouldstop() do linux.schedule(20) end
end
