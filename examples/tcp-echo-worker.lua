--- One connection of examples/tcp-echo: the first call (a `resume` from the daemon)
-- hands over the socket, the second (the worker's kernel thread) echoes until the
-- peer closes or the thread is stopped.
local thread = require("thread")

local conn, done, id

return function(socket, table, n)
	if socket then
		conn, done, id = socket, table, n
		return
	end
	while not thread.shouldstop() do
		local ok, data = pcall(conn.receive, conn, 1024)
		if not ok or data == "" then
			break
		end
		conn:send(data)
	end
	conn:close()
	done[id] = true
end
