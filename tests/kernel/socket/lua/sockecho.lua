-- A TCP echo server on 127.0.0.1:7001, one connection at a time, in a kernel thread.
local socket = require("socket")
local sk = require("linux.socket")
local thread = require("thread")
local lunatik = require("lunatik")

local server = socket.new(sk.af.INET, sk.sock.STREAM, sk.ipproto.TCP)
server:setsockopt(sk.sol.SOCKET, sk.so.REUSEADDR, 1)
server:bind(0x7f000001, 7001)
server:listen()

return function()
	lunatik._ENV.echo_started = true
	while not thread.shouldstop() do
		local ok, conn = pcall(server.accept, server)
		if ok then
			conn:send(conn:receive(256))
			conn:close()
		end
	end
	server:close()
end
