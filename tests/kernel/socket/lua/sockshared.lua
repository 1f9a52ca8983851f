-- A thread that blocks in accept on a socket another runtime made (lunatik._ENV.shared).
local lunatik = require("lunatik")

return function()
	local s = lunatik._ENV.shared
	lunatik._ENV.shared_started = true
	local ok, err = pcall(s.accept, s)
	lunatik._ENV.shared_result = tostring(err)
end
