-- A thread that blocks in connect to /tmp/full.s, whose listener's backlog is full.
local socket = require("socket")
local sk = require("linux.socket")
local lunatik = require("lunatik")

return function()
	local c = socket.new(sk.af.UNIX, sk.sock.STREAM, 0)
	lunatik._ENV.connect_started = true
	local ok, err = pcall(c.connect, c, "/tmp/full.s")
	lunatik._ENV.connect_result = tostring(err)
	c:close()
end
