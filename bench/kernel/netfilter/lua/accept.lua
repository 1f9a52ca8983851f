-- A PRE_ROUTING hook that accepts everything (the per-packet cost of entering Lua).
local netfilter = require("netfilter")
local nf = require("linux.nf")
netfilter.register{pf = nf.proto.INET, hooknum = nf.inet.PRE_ROUTING,
	priority = nf.ip.pri.FILTER, hook = function() return nf.action.ACCEPT end}
