local byteorder = require("byteorder")
return function(x)
	return byteorder.hton16(x)
end
