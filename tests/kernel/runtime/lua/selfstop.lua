-- A thread body that tries to stop its own thread (given through _ENV).
-- The writer publishes the thread after thread.run returns, so wait for it.
local lunatik = require("lunatik")
local linux = require("linux")
return function()
	lunatik._ENV.selfstop_started = true
	for _ = 1, 500 do
		if lunatik._ENV.me then break end
		linux.schedule(10)
	end
	local ok, e = pcall(function() lunatik._ENV.me:stop() end)
	lunatik._ENV.selfstop = e
end
