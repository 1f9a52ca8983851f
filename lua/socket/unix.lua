--- AF_UNIX sockets as objects: `unix.stream([path])` and `unix.dgram([path])` hold a
-- `socket` (field `socket`) and a default address (field `path`).
-- @module socket.unix

local socket = require("socket")
local sk = require("linux.socket")
local class = require("class")

local unix = {}

local Unix = class()

--- Binds to `path` (default: the object's); the file is not removed at close.
function Unix:bind(path)
	self.socket:bind(path or self.path)
end

function Unix:connect(path)
	self.socket:connect(path or self.path)
end

--- Sends `message`, to `path` if given; returns the bytes sent.
function Unix:send(message, path)
	if path then
		return self.socket:send(message, path)
	end
	return self.socket:send(message)
end

function Unix:receive(...)
	return self.socket:receive(...)
end

function Unix:getsockname()
	return self.socket:getsockname()
end

function Unix:getpeername()
	return self.socket:getpeername()
end

function Unix:close()
	self.socket:close()
end

local Stream = Unix:new()

function Stream:listen(backlog)
	self.socket:listen(backlog)
end

--- The next connection, as a plain `socket`.
function Stream:accept(flags)
	return self.socket:accept(flags)
end

local Dgram = Unix:new()

--- A datagram of at most `len` bytes and its sender's path.
function Dgram:receivefrom(len, flags)
	return self.socket:receive(len, flags, true)
end

--- Sends to `path` (default: the object's; with neither, to the connected peer).
function Dgram:sendto(message, path)
	return Unix.send(self, message, path or self.path)
end

local function new(class, kind, path)
	return class:new({path = path, socket = socket.new(sk.af.UNIX, kind, 0)})
end

function unix.stream(path)
	return new(Stream, sk.sock.STREAM, path)
end

function unix.dgram(path)
	return new(Dgram, sk.sock.DGRAM, path)
end

return unix
