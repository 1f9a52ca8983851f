--- A TCP echo daemon on 127.0.0.1:1234 (`lunatik spawn examples/tcp-echo`): the spawned
-- thread accepts, and each connection gets its own runtime (examples/tcp-echo-worker)
-- and kernel thread; the accepted socket is handed to it with `resume`. Sockets are
-- shared objects, so the worker uses the very socket accept returned.
--
--     lunatik spawn examples/tcp-echo
--     echo hello | nc 127.0.0.1 1234
--     lunatik stop examples/tcp-echo   -- ends the accept at once, then every worker
local lunatik = require("lunatik")
local thread = require("thread")
local rcu = require("rcu")
local inet = require("socket.inet")
local sk = require("linux.socket")

local PORT = 1234

local server = inet.tcp()
server.socket:setsockopt(sk.sol.SOCKET, sk.so.REUSEADDR, 1)
server:bind(inet.localhost, PORT)
server:listen()

-- Workers that finished mark themselves here, so that the next accept reaps them.
local done = rcu.table()

return function()
	local workers, id = {}, 0
	while not thread.shouldstop() do
		local ok, conn = pcall(server.accept, server)
		if ok then
			id = id + 1
			local runtime = lunatik.runtime("examples/tcp-echo-worker")
			runtime:resume(conn, done, id)
			workers[id] = {runtime = runtime, thread = thread.run(runtime, "tcp-echo-" .. id)}
		end
		for n, worker in pairs(workers) do
			if done[n] then
				worker.thread:stop()
				worker.runtime:stop()
				workers[n], done[n] = nil, nil
			end
		end
	end
	for _, worker in pairs(workers) do
		worker.thread:stop()
		worker.runtime:stop()
	end
	server:close()
end
