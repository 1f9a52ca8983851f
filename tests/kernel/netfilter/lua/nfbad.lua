-- Registers a hook that would drop every ICMP packet, then fails: the runtime is never
-- made, and the hook must be gone with it.
local netfilter = require("netfilter")
local nf = require("linux.nf")
netfilter.register{pf = nf.proto.INET, hooknum = nf.inet.LOCAL_OUT,
	priority = nf.ip.pri.FIRST, hook = function(skb)
	return skb:data():getuint8(9) == 1 and nf.action.DROP or nf.action.ACCEPT
end}
error("failing after register")
