local linux = require("linux")
return function() return linux.lookup("schedule") end
