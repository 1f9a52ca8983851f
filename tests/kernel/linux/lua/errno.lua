-- Raises the errno name of a failed kernel call from an atomic runtime.
local linux = require("linux")
return function(name) return pcall(linux.ifindex, name) end
