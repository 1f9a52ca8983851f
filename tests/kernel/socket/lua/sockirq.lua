-- A softirq runtime: sockets are refused in it, made here or sent to it.
local socket = require("socket")

return function(s)
	if s == nil then
		return pcall(socket.new, 2, 2, 17)
	end
	return type(s)
end
