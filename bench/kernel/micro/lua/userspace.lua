-- The same loops under lua5.4 in the guest: `lua5.4 userspace.lua <workload> <n>` prints the
-- median nanoseconds per iteration of five runs (os.clock, CPU time).
local loops = dofile("/lib/modules/lua/test/loops.lua")
local workload, n = arg[1], tonumber(arg[2])
local samples = {}
for r = 1, 5 do
	local start = os.clock()
	loops[workload](n)
	samples[r] = (os.clock() - start) * 1e9 / n
end
table.sort(samples)
print(string.format("%.1f", samples[3]))
