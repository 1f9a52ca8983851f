-- A per-CPU script whose second instance fails: the first one counts in lunatik._ENV and
-- logs when it is closed, so a test can see the runner stop it.
local env = require("lunatik")._ENV
local n = (env.percpu_once or 0) + 1
env.percpu_once = n
if n == 2 then
	error("second instance fails", 0)
end
closing = setmetatable({}, {__gc = function()
	print("percpu_once " .. n .. " closed")
end})
return function()
	return n
end
