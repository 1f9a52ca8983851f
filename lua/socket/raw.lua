--- Raw packet sockets (AF_PACKET): frames from the Ethernet header on.
-- @module socket.raw

local socket = require("socket")
local sk = require("linux.socket")
local eth = require("linux.eth")
local byteorder = require("byteorder")

local raw = {}

--- An `AF_PACKET`/`SOCK_RAW` socket bound to ethertype `proto` (host order, default
-- `ETH_P_ALL`) on interface `ifindex` (default 0: all).
function raw.bind(proto, ifindex)
	proto = proto or eth.ALL
	local s = socket.new(sk.af.PACKET, sk.sock.RAW, byteorder.hton16(proto))
	s:bind(proto, ifindex or 0)
	return s
end

return raw
