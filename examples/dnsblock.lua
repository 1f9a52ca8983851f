--- A DNS blocklist: drops queries (UDP to port 53, sent from this host) for a listed domain
--- or any name below it, and logs each one dropped.
--
--     lunatik run examples/dnsblock softirq
--     nslookup ads.example.com    # times out; dmesg shows "dnsblock: blocked ads.example.com"
local netfilter = require("netfilter")
local nf = require("linux.nf")
local set = require("set")

local blocked = set.labeled{["example.com"] = 1, ["tracker.test"] = 1}

local UDP, DNS_PORT = 17, 53
local DNS_HEADER = 12

-- The first question's name of the DNS message at `off`, lower-cased and dotted, or nil.
local function qname(ip, off)
	local labels, pos, size = {}, off + DNS_HEADER, #ip
	while pos < size do
		local n = ip:getuint8(pos)
		if n == 0 then return table.concat(labels, ".") end
		if n > 63 or pos + n >= size then return nil end
		labels[#labels + 1] = ip:getstring(pos + 1, n):lower()
		pos = pos + n + 1
	end
end

local function filter(skb)
	local ip = skb:data()
	if ip:getuint8(9) ~= UDP then return nf.action.ACCEPT end
	local udp = (ip:getuint8(0) & 0x0f) * 4
	if udp + 8 + DNS_HEADER >= #ip or ip:getuint8(udp + 2) * 256 + ip:getuint8(udp + 3) ~= DNS_PORT then
		return nf.action.ACCEPT
	end
	local name = qname(ip, udp + 8)
	if name and blocked:match(name) ~= 0 then
		print("dnsblock: blocked " .. name)
		return nf.action.DROP
	end
	return nf.action.ACCEPT
end

netfilter.register{pf = nf.proto.INET, hooknum = nf.inet.LOCAL_OUT,
	priority = nf.ip.pri.FILTER, hook = filter}
