-- Its callback creates test/inner while this runtime is held by the caller's task.
local lunatik = require("lunatik")
return function()
	return pcall(lunatik.runtime, "test/inner")
end
