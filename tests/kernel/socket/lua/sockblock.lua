-- A thread that blocks in accept on 127.0.0.1:<_ENV.block_port> and records how it ended.
local socket = require("socket")
local sk = require("linux.socket")
local thread = require("thread")
local lunatik = require("lunatik")

local port = lunatik._ENV.block_port
local server = socket.new(sk.af.INET, sk.sock.STREAM, sk.ipproto.TCP)
server:bind(0x7f000001, port)
server:listen()

return function()
	lunatik._ENV["started" .. port] = true
	local ok, err = pcall(server.accept, server)
	lunatik._ENV["result" .. port] = tostring(err)
	lunatik._ENV["shouldstop" .. port] = thread.shouldstop()
end
