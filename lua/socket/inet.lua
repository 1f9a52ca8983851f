--- IPv4 sockets as objects: `inet.tcp()` and `inet.udp()` hold a `socket` (field
-- `socket`) and take addresses as dotted strings (`"*"` is 0.0.0.0).
-- @module socket.inet

local socket = require("socket")
local sk = require("linux.socket")
local net = require("net")
local class = require("class")

local inet = {localhost = "127.0.0.1"}

local function aton(address)
	return address == "*" and 0 or net.aton(address)
end

local Inet = class()

--- Binds to `address`, `port`; raises on failure.
function Inet:bind(address, port)
	self.socket:bind(aton(address), port)
end

--- Connects to `address`, `port` (`flags`: 0, or `O_NONBLOCK`).
function Inet:connect(address, port, flags)
	self.socket:connect(aton(address), port, flags or 0)
end

--- Sends `message`, to `address`, `port` if given; returns the bytes sent.
function Inet:send(message, address, port)
	if address then
		return self.socket:send(message, aton(address), port)
	end
	return self.socket:send(message)
end

--- As `socket:receive` (a sender's address comes back as an integer).
function Inet:receive(...)
	return self.socket:receive(...)
end

--- The local address: `"a.b.c.d"`, port.
function Inet:getsockname()
	local ip, port = self.socket:getsockname()
	return net.ntoa(ip), port
end

--- The peer's address: `"a.b.c.d"`, port.
function Inet:getpeername()
	local ip, port = self.socket:getpeername()
	return net.ntoa(ip), port
end

function Inet:close()
	self.socket:close()
end

local Tcp = Inet:new()

function Tcp:listen(backlog)
	self.socket:listen(backlog)
end

--- The next connection, as a plain `socket`.
function Tcp:accept(flags)
	return self.socket:accept(flags)
end

local Udp = Inet:new()

--- A datagram of at most `len` bytes and its sender: message, `"a.b.c.d"`, port.
function Udp:receivefrom(len, flags)
	local message, ip, port = self.socket:receive(len, flags, true)
	return message, net.ntoa(ip), port
end

Udp.sendto = Inet.send

--- A TCP socket object.
function inet.tcp()
	return Tcp:new({socket = socket.new(sk.af.INET, sk.sock.STREAM, sk.ipproto.TCP)})
end

--- A UDP socket object.
function inet.udp()
	return Udp:new({socket = socket.new(sk.af.INET, sk.sock.DGRAM, sk.ipproto.UDP)})
end

return inet
