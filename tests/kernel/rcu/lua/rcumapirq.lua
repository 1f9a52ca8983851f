-- Walks a shared table with rcu.map from a softirq or hardirq runtime: the number of
-- entries and the sum of their values.
local rcu = require("rcu")
return function(t)
	local n, sum = 0, 0
	rcu.map(t, function(k, v)
		n = n + 1
		sum = sum + v
		assert(t[k] == v)
	end)
	return n, sum
end
