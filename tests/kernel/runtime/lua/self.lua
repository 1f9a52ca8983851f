local lunatik = require("lunatik")
return function() return lunatik._ENV.me:resume() end
