-- Parks 1 MiB strings in lunatik._ENV until something refuses: the module-wide limit
-- does, long before the kernel runs out.
local lunatik = require("lunatik")
return function(n)
	for i = 1, n do
		local ok = pcall(function()
			lunatik._ENV["hoard" .. i] = string.rep("x", 1 << 20) .. i
		end)
		if not ok then
			return i - 1
		end
	end
	return n
end
