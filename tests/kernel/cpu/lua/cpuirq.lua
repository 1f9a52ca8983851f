-- Counts the online CPUs through the iterator, from an atomic runtime.
local cpu = require("cpu")
return function()
	local n = 0
	cpu.foreach_online(function() n = n + 1 end)
	return n, cpu.stats(0).idle >= 0
end
