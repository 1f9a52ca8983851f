local linux = require("linux")
return function() return type(linux.tracing()), #linux.ifaddr(1) end
