-- In-kernel micro benchmarks: resume(workload, n) runs `n` operations five times and
-- returns the median nanoseconds per operation (linux.time()).
local linux = require("linux")
local rcu = require("rcu")
local data = require("data")
local lunatik = require("lunatik")
local loops = dofile("/lib/modules/lua/test/loops.lua")

local shared = rcu.table()
shared.k = 1
local d = data.new(16)

local kernel = {
	time = function(n) for _ = 1, n do linux.time() end end,
	rcu_get = function(n) local x; for _ = 1, n do x = shared.k end; return x end,
	rcu_set = function(n) for i = 1, n do shared.k = i end end,
	getbyte = function(n) for _ = 1, n do d:getbyte(0) end end,
	runtime = function(n) for _ = 1, n do lunatik.runtime("test/empty"):stop() end end,
}

local function median(f, n)
	local samples = {}
	for r = 1, 5 do
		local start = linux.time()
		f(n)
		samples[r] = (linux.time() - start) / n
	end
	table.sort(samples)
	return samples[3]
end

return function(workload, n)
	local f = loops[workload] or kernel[workload]
	return string.format("%.1f", median(f, n))
end
