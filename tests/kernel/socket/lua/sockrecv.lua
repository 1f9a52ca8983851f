-- A thread that blocks in a UDP receive on 127.0.0.1:7003 (no timeout).
local socket = require("socket")
local sk = require("linux.socket")
local lunatik = require("lunatik")

local s = socket.new(sk.af.INET, sk.sock.DGRAM, sk.ipproto.UDP)
s:bind(0x7f000001, 7003)

return function()
	lunatik._ENV.recv_started = true
	local ok, err = pcall(s.receive, s, 100)
	lunatik._ENV.recv_result = tostring(err)
end
