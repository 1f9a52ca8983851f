local linux = require("linux")
return function(ms) return linux.schedule(ms) end
