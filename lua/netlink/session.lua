--- A netlink request/response session over an `AF_NETLINK` socket (process runtimes only:
-- it blocks on the socket).
-- @module netlink.session

local socket = require("socket")
local linux = require("linux")
local sk = require("linux.socket")
local nl = require("linux.netlink")
local message = require("netlink.message")

local session = {}
session.__index = session
session.__close = function(s) s:close() end

local BUF = 65536

local function open(cls)
	local o = setmetatable({}, cls)
	o.socket = socket.new(sk.af.NETLINK, sk.sock.RAW, cls.proto)
	o.sequence = 0
	return o
end

--- A class deriving from `base` with the fields of `t`; calling it (`cls()`) opens a session
-- of its `proto` (the kernel autobinds the socket at the first send).
function session.subclass(base, t)
	t.__index = t
	t.__close = base.__close
	return setmetatable(t, {__index = base, __call = open})
end

function session:request(type, flags, payload)
	self.sequence = self.sequence + 1
	self.socket:send(message.encode(type, nl.flag.REQUEST | flags, self.sequence, payload))
end

-- Raises the errno name of a non-zero NLMSG_ERROR reply.
local function check(m)
	if m.type == nl.type.ERROR then
		local code = string.unpack("=i4", m.body)
		if code ~= 0 then
			error(linux.errname(-code), 0)
		end
	end
end

-- Receives replies until `last(m)` holds for one (or the socket reads nothing): the list
-- of messages, that one included. A kernel error reply raises its errno name.
local function collect(self, last)
	local list = {}
	while true do
		local buf = self.socket:receive(BUF)
		if not buf or #buf == 0 then
			return list
		end
		for _, m in ipairs(message.parse(buf)) do
			check(m)
			list[#list + 1] = m
			if last(m) then
				return list
			end
		end
	end
end

function session:dump(type, payload)
	self:request(type, nl.flag.DUMP, payload)
	return collect(self, function(m)
		return m.type == nl.type.DONE or m.flags & nl.flag.MULTI == 0
	end)
end

function session:talk(type, flags, payload)
	self:request(type, nl.flag.ACK | (flags or 0), payload)
	return collect(self, function(m) return m.type == nl.type.ERROR end)
end

function session:close()
	self.socket:close()
end

return session
