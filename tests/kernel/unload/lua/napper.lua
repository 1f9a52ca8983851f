-- A thread body that sleeps without a timeout until woken.
local linux = require("linux")
local thread = require("thread")
return function()
	while not thread.shouldstop() do linux.schedule() end
end
