-- Pushes 1000 numbered 4-byte messages into the shared queue _ENV.q, waiting when full.
local lunatik, linux = require("lunatik"), require("linux")
return function()
	local q = lunatik._ENV.q
	for i = 1, 1000 do
		local msg = string.pack("I4", i)
		while not pcall(q.push, q, msg) do
			linux.schedule(1)
		end
	end
	lunatik._ENV.produced = true
end
