-- Leaves an object whose finalizer never ends, to run when the state is closed.
keep = setmetatable({}, {__gc = function()
	local thread = require("thread")
	while not thread.shouldstop() and true do end
end})
return function() return "alive" end
