-- Registration errors seen from the body of a softirq runtime, kept for resume().
local netfilter = require("netfilter")
local nf = require("linux.nf")
local function message(ops)
	local ok, e = pcall(netfilter.register, ops)
	return ok and "ok" or tostring(e)
end
local r = {
	notable = message(7),
	nopf = message({hooknum = 0, priority = 0}),
	nohooknum = message({pf = nf.proto.INET, priority = 0}),
	nopriority = message({pf = nf.proto.INET, hooknum = 0}),
	strpf = message({pf = "x", hooknum = 0, priority = 0}),
	netdev = message({pf = nf.proto.NETDEV, hooknum = nf.netdev.INGRESS, priority = 0, hook = print}),
}
return function(k) return r[k] end
