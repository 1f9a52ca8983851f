--- Syscall names to their `sys_call_table` entries (light userdata), for every name in
-- the generated `linux.syscall.numbers`: `probe.new(systab.openat, handlers)`.
-- @module syscall.table

local syscall = require("syscall")
local numbers = require("linux.syscall").numbers

local table = {}
for name, nr in pairs(numbers) do
	table[name] = syscall.address(nr)
end
return table
