-- A runtime that counts, in _ENV.rcu_closed, the times its state was closed.
local lunatik = require("lunatik")
sentinel = setmetatable({}, {__gc = function()
	lunatik._ENV.rcu_closed = (lunatik._ENV.rcu_closed or 0) + 1
end})
return function()
	return "alive"
end
