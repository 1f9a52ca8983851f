-- Creates a child runtime from its own body, until _ENV.level reaches _ENV.depth.
local lunatik = require("lunatik")
local level = (lunatik._ENV.level or 0) + 1
lunatik._ENV.level = level
local child
if level < lunatik._ENV.depth then
	child = lunatik.runtime("test/nest")
end
return function()
	return level
end
