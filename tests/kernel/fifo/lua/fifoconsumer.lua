-- Pops the producer's messages from _ENV.q and checks that each comes once, in order.
local lunatik, linux = require("lunatik"), require("linux")
return function()
	local q = lunatik._ENV.q
	local want, pending = 1, ""
	while want <= 1000 do
		local s = q:pop(64)
		if #s == 0 then
			linux.schedule(1)
		end
		pending = pending .. s
		while #pending >= 4 do
			local got = string.unpack("I4", pending)
			if got ~= want then
				lunatik._ENV.consumed = -got
				return
			end
			want, pending = want + 1, pending:sub(5)
		end
	end
	lunatik._ENV.consumed = want - 1
end
