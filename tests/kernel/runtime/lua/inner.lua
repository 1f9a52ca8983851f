-- Enters the runtime that is creating it (through _ENV.p): refused, not a deadlock.
local lunatik = require("lunatik")
lunatik._ENV.p:resume()
