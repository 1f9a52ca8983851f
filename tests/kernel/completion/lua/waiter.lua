-- A thread body: waits for _ENV.c (forever, or `ms`) and records how the wait ended.
local lunatik = require("lunatik")
return function()
	local c = lunatik._ENV.c
	lunatik._ENV.waiting = true
	local ok, why = c:wait(lunatik._ENV.ms)
	lunatik._ENV.woken = ok and "completed" or why
end
