-- A LOCAL_OUT hook that accepts every packet (netfilter packets are counted).
local netfilter = require("netfilter")
local nf = require("linux.nf")
netfilter.register{pf = nf.proto.INET, hooknum = nf.inet.LOCAL_OUT,
	priority = nf.ip.pri.FILTER, hook = function() return nf.action.ACCEPT end}
