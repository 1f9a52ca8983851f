-- `lua5.4 devio.lua read|write <file> <n>` prints the median CPU nanoseconds (user and
-- system: the device's Lua runs in this process) of one unbuffered 16-byte read(2) or
-- write(2), over five runs of n.
local op, path, n = arg[1], arg[2], tonumber(arg[3])
local f = assert(io.open(path, op == "read" and "rb" or "wb"))
f:setvbuf("no")
local block = string.rep("y", 16)
local samples = {}
for r = 1, 5 do
	local start = os.clock()
	if op == "read" then
		for _ = 1, n do f:read(16) end
	else
		for _ = 1, n do f:write(block) end
	end
	samples[r] = (os.clock() - start) * 1e9 / n
end
table.sort(samples)
print(string.format("%.1f", samples[3]))
