-- Loaded as a softirq runtime: crypto objects are process-only.
local crypto = require("crypto")
local ok, err = pcall(crypto.shash, "sha256")
return function()
	return ok, err
end
