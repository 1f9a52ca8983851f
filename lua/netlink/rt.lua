--- Route netlink (`NETLINK_ROUTE`) classes: link, addr, route, rule.
-- @module netlink.rt

local session = require("netlink.session")
local message = require("netlink.message")
local nl = require("linux.netlink")
local rtnl = require("linux.rtnetlink")
local sk = require("linux.socket")

local F = nl.flag
local rtm = rtnl.rtm
local rt = {}

local object = session:subclass({proto = nl.proto.ROUTE})
rt.object = object

local u32 = message.u32

-- Table ids above 255 only fit the TABLE attribute; the header then says UNSPEC.
function object.headertable(id)
	return id <= 255 and id or rtnl.table.UNSPEC
end

--- Dumps `self.GET` and decodes the records of type `self.NEW`.
function object:list(payload)
	local out = {}
	for _, m in ipairs(self:dump(self.GET, payload)) do
		if m.type == self.NEW then
			out[#out + 1] = self.decode(m.body)
		end
	end
	return out
end

local function attrs(t)
	local a = {}
	for k, v in pairs(t) do
		if v ~= nil then
			a[k] = v
		end
	end
	return message.attrs(a)
end

-- link
local link = object:subclass({GET = rtm.GETLINK, NEW = rtm.NEWLINK, SET = rtm.SETLINK})
rt.link = link

function link.header(family, ifindex, flags, change)
	return string.pack("=BxI2i4I4I4", family or 0, 0, ifindex or 0, flags or 0, change or 0)
end

function link.decode(body)
	local family, ltype, ifindex, flags, change = string.unpack("=BxI2i4I4I4", body)
	local a = message.attrs(body, 17)
	return {family = family, ltype = ltype, ifindex = ifindex, flags = flags, change = change,
		name = message.str(a[rtnl.ifla.IFNAME]), mtu = u32(a[rtnl.ifla.MTU])}
end

function link:list()
	return object.list(self, link.header())
end

function link:set(o)
	local up = rtnl.iff.UP
	self:talk(self.SET, 0, link.header(0, o.ifindex, o.up and up or 0, up))
end

-- addr
local addr = object:subclass({GET = rtm.GETADDR, NEW = rtm.NEWADDR})
rt.addr = addr

function addr.decode(body)
	local family, prefix_len, _, scope, ifindex = string.unpack("=BBBBI4", body)
	local a = message.attrs(body, 9)
	return {family = family, prefix_len = prefix_len, scope = scope, ifindex = ifindex,
		address = a[rtnl.ifa.ADDRESS] or a[rtnl.ifa.LOCAL], label = message.str(a[rtnl.ifa.LABEL])}
end

function addr:list(family)
	return object.list(self, string.pack("=BBBBI4", family or 0, 0, 0, 0, 0))
end

-- route
local route = object:subclass({GET = rtm.GETROUTE, NEW = rtm.NEWROUTE, DEL = rtm.DELROUTE})
rt.route = route

local RTMSG = "=BBBBBBBBI4"

function route.decode(body)
	local family, dst_len, src_len, tos, table, protocol, scope, rtype, flags = string.unpack(RTMSG, body)
	local a = message.attrs(body, 13)
	return {family = family, dst_len = dst_len, src_len = src_len, tos = tos,
		table = u32(a[rtnl.rta.TABLE]) or table, protocol = protocol, scope = scope, rtype = rtype,
		flags = flags, dst = a[rtnl.rta.DST], gateway = a[rtnl.rta.GATEWAY], oif = u32(a[rtnl.rta.OIF]),
		priority = u32(a[rtnl.rta.PRIORITY])}
end

function route:list(family)
	return object.list(self, string.pack(RTMSG, family or 0, 0, 0, 0, 0, 0, 0, 0, 0))
end

local function routemsg(o, scope, rtype, protocol)
	local table = o.table or rtnl.table.MAIN
	return string.pack(RTMSG, o.family or sk.af.INET, o.dst_len or 0, 0, 0, object.headertable(table),
		protocol, scope, rtype, 0) .. attrs({[rtnl.rta.DST] = o.dst, [rtnl.rta.GATEWAY] = o.gateway,
		[rtnl.rta.OIF] = o.oif, [rtnl.rta.TABLE] = table > 255 and table or nil})
end

function route:add(o)
	self:talk(self.NEW, F.CREATE | F.EXCL, routemsg(o, o.scope or rtnl.scope.UNIVERSE,
		o.rtype or rtnl.rtn.UNICAST, o.protocol or rtnl.rtprot.STATIC))
end

function route:del(o)
	self:talk(self.DEL, 0, routemsg(o, rtnl.scope.NOWHERE, 0, 0))
end

-- rule
local rule = object:subclass({GET = rtm.GETRULE, NEW = rtm.NEWRULE, DEL = rtm.DELRULE})
rt.rule = rule

local FRH = "=BBBBBBBBI4"

function rule.decode(body)
	local family, _, _, _, table, _, _, action, flags = string.unpack(FRH, body)
	local a = message.attrs(body, 13)
	return {family = family, action = action, flags = flags, table = u32(a[rtnl.fra.TABLE]) or table,
		priority = u32(a[rtnl.fra.PRIORITY]), fwmark = u32(a[rtnl.fra.FWMARK])}
end

function rule:list(family)
	return object.list(self, string.pack(FRH, family or 0, 0, 0, 0, 0, 0, 0, 0, 0))
end

local function rulemsg(o)
	local table = o.table or rtnl.table.MAIN
	return string.pack(FRH, o.family or sk.af.INET, 0, 0, 0, object.headertable(table), 0, 0,
		o.action or rtnl.fr_act.TO_TBL, 0) .. attrs({[rtnl.fra.TABLE] = table,
		[rtnl.fra.PRIORITY] = o.priority, [rtnl.fra.FWMARK] = o.fwmark,
		[rtnl.fra.PROTOCOL] = o.protocol and string.char(o.protocol) or nil})
end

function rule:add(o)
	self:talk(self.NEW, F.CREATE | F.EXCL, rulemsg(o))
end

function rule:del(o)
	self:talk(self.DEL, 0, rulemsg(o))
end

return rt
