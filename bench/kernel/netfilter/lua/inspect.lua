-- A PRE_ROUTING hook that reads the protocol and the destination of each packet, as a
-- filter would, and accepts.
local netfilter = require("netfilter")
local nf = require("linux.nf")
local seen = 0
netfilter.register{pf = nf.proto.INET, hooknum = nf.inet.PRE_ROUTING,
	priority = nf.ip.pri.FILTER, hook = function(skb)
	local ip = skb:data()
	if ip:getuint8(9) == 1 and ip:getuint32(16) ~= 0 then seen = seen + 1 end
	return nf.action.ACCEPT
end}
