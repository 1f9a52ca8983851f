-- A softirq runtime: its body runs in process context at creation, where darken.run may
-- allocate its cipher, as in C Lunatik; its callback runs under the runtime's spin lock.
local dark = loadfile("/lib/modules/lua/test/hello.dark.lua")
local _, at_load = dark()
return function()
	return at_load, pcall(dark)
end
