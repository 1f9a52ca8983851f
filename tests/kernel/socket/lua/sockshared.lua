-- A thread that blocks in accept on a socket another runtime made (lunatik._ENV.shared),
-- recording how it ended under its thread's name.
local lunatik = require("lunatik")
local thread = require("thread")

return function()
	local name = thread.current():task().command
	local s = lunatik._ENV.shared
	lunatik._ENV[name .. "_started"] = true
	local ok, err = pcall(s.accept, s)
	lunatik._ENV[name .. "_result"] = tostring(err)
end
