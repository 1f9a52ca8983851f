-- Tries to register from a process runtime.
local netfilter = require("netfilter")
local nf = require("linux.nf")
return function(ops)
	return pcall(netfilter.register, ops or {pf = nf.proto.INET, hooknum = nf.inet.LOCAL_OUT,
		priority = 0, hook = print})
end
