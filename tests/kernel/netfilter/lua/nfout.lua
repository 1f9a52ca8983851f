-- A LOCAL_OUT IPv4 hook that counts what it sees and drops what `mode` names, and a
-- second one that sees only packets the first marked 42. resume(cmd, arg) reports.
local netfilter = require("netfilter")
local nf = require("linux.nf")
local lunatik = require("lunatik")

local mode = "pass"
local seen = {icmp = 0, dns = 0, tcp = 0, other = 0}
local marked = 0
local notes = {}
local kept, kept_view, copy

local function kind(ip)
	local p = ip:getuint8(9)
	if p == 1 then return "icmp" end
	if p == 17 and ip:getuint8(22) * 256 + ip:getuint8(23) == 53 then return "dns" end
	if p == 6 then return "tcp" end
	return "other"
end

local function message(f, ...)
	local ok, e = pcall(f, ...)
	return ok and "ok" or tostring(e)
end

-- What the skb methods say, on the first ICMP packet.
local function probe(skb)
	local ip = skb:data()
	notes.view_len = #ip
	notes.skb_len = #skb
	notes.version = ip:getuint8(0) >> 4
	notes.ifindex = skb:ifindex()
	notes.vlan = skb:vlan()
	notes.same_view = rawequal(skb:data(), ip)
	notes.view_class = getmetatable(ip).__name
	notes.bad_option = message(skb.data, skb, "x")
	notes.share = message(function() lunatik._ENV.x = skb end)
	notes.share_view = message(function() lunatik._ENV.x = ip end)
	notes.tailroom = message(skb.resize, skb, 1 << 20)
	notes.resize_type = message(skb.resize, skb, "x")
	notes.connmark = skb:connmark()
	notes.forward = message(skb.forward, skb)
	notes.register = message(netfilter.register, {pf = nf.proto.INET,
		hooknum = nf.inet.LOCAL_OUT, priority = 0, hook = print})
	notes.view_resize = message(ip.resize, ip, 4)
	copy = skb:copy()
	local c = copy:data()
	notes.copy_len = #copy == #skb and #c == #ip
	notes.copy_fresh_view = not rawequal(copy:data(), c)
	c:setuint8(8, 1)   -- TTL
	c:setuint16(10, 0) -- header checksum
	copy:checksum()
	notes.copy_checksum = c:checksum(0, (c:getuint8(0) & 15) * 4)
	notes.original_ttl = ip:getuint8(8)
	kept, kept_view = skb, ip
end

netfilter.register{pf = nf.proto.INET, hooknum = nf.inet.LOCAL_OUT,
	priority = nf.ip.pri.FILTER, hook = function(skb)
	local what = kind(skb:data())
	seen[what] = seen[what] + 1
	if what == "icmp" and not kept then probe(skb) end
	if what == mode then return nf.action.DROP end
	if what ~= "icmp" then return nf.action.ACCEPT end
	if mode == "nil" then return nil end
	if mode == "false" then return false end
	if mode == "string" then return "1" end
	if mode == "big" then return 99 end
	if mode == "negative" then return -1 end
	if mode == "error" then error("hook failed on purpose") end
	if mode == "mark" then return nf.action.ACCEPT, 42 end
	return nf.action.ACCEPT
end}

netfilter.register{pf = nf.proto.INET, hooknum = nf.inet.LOCAL_OUT,
	priority = nf.ip.pri.FILTER + 1, mark = 42, hook = function(skb)
	marked = marked + 1
	return nf.action.ACCEPT
end}

return function(cmd, arg)
	if cmd == "mode" then mode = arg; return mode end
	if cmd == "seen" then return seen[arg] end
	if cmd == "marked" then return marked end
	if cmd == "note" then return tostring(notes[arg]) end
	if cmd == "kept" then return message(kept.ifindex, kept), message(kept_view.getuint8, kept_view, 0), #kept_view end
	if cmd == "copy" then return #copy > 0, copy:data():getuint8(0) >> 4, copy:ifindex() end
end
