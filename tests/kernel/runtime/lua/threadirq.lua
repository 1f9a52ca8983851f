-- thread.current() in an atomic runtime.
local thread = require("thread")
return function()
	return pcall(thread.current)
end
