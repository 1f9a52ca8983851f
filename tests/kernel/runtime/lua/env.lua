local lunatik = require("lunatik")
return function(key, value)
	if value ~= nil then lunatik._ENV[key] = value end
	return lunatik._ENV[key]
end
