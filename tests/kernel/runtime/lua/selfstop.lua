-- A thread body that tries to stop its own thread (given through _ENV).
local lunatik = require("lunatik")
return function()
	local ok, e = pcall(function() lunatik._ENV.me:stop() end)
	lunatik._ENV.selfstop = e
end
