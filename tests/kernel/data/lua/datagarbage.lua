-- Makes 64 MiB of short-lived buffers in a runtime whose limit is 4 MiB: each buffer is
-- charged to the runtime, so the collector keeps up.
local data = require("data")
return function()
	for i = 1, 1024 do
		local d = data.new(65536)
		d:setuint8(65535, i % 256)
	end
	return collectgarbage("count") < 4096
end
