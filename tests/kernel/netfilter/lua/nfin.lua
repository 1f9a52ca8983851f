-- A PRE_ROUTING IPv4 hook: counts ICMP echo requests coming in, notes the MAC view, and
-- sends the next request back out of its device once when armed.
local netfilter = require("netfilter")
local nf = require("linux.nf")

local requests, armed, notes = 0, false, {}

netfilter.register{pf = nf.proto.INET, hooknum = nf.inet.PRE_ROUTING,
	priority = nf.ip.pri.FILTER, hook = function(skb)
	local ip = skb:data()
	if ip:getuint8(9) ~= 1 or ip:getuint8((ip:getuint8(0) & 15) * 4) ~= 8 then
		return nf.action.ACCEPT
	end
	requests = requests + 1
	local net_len = #skb:data()
	local mac = skb:data("mac")
	notes.mac_extra = #mac - net_len
	notes.ethertype = mac:getuint8(12) * 256 + mac:getuint8(13)
	notes.ifindex = skb:ifindex()
	if armed then
		armed = false
		notes.forward = pcall(skb.forward, skb)
	end
	return nf.action.ACCEPT
end}

return function(cmd)
	if cmd == "arm" then armed = true; requests = 0; return true end
	if cmd == "requests" then return requests end
	return tostring(notes[cmd])
end
