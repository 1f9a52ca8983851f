-- Returns resume(n): the median nanoseconds of one resume of another runtime, over five
-- runs of n (run by the control runtime).
local linux = require("linux")
local lunatik = require("lunatik")
local other = lunatik.runtime("test/identity")

return function(n)
	local samples = {}
	for r = 1, 5 do
		local start = linux.time()
		for i = 1, n do other:resume(i) end
		samples[r] = (linux.time() - start) / n
	end
	table.sort(samples)
	return string.format("%.1f", samples[3])
end
