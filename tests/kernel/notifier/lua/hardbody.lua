-- A hardirq runtime whose body asks for a netdevice notifier.
local notifier = require("notifier")
local ok, e = pcall(notifier.netdevice, function() end)
return function() return e end
