-- Registers a notifier of kind `what` from a callback (errors come back as values).
local notifier = require("notifier")
return function(what, cb)
	local ok, e = pcall(notifier[what], cb or function() end)
	return e
end
