local signal = require("signal")
return function()
	return pcall(signal.sigmask, 10)
end
