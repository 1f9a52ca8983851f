-- Reads _ENV.rcu_hammer while rcuwriter.lua writes it, from another kernel thread: every
-- value must be nil or a whole string of one repeated letter (also as rcu.map sees them),
-- and `n` never goes back.
-- Leaves the count of reads in _ENV.rcu_reads (rcu_overlap: those made while the writer
-- ran) and of bad ones in _ENV.rcu_torn.
local lunatik, rcu = require("lunatik"), require("rcu")
return function()
	local t = lunatik._ENV.rcu_hammer
	local reads, torn, last, overlap = 0, 0, 0, 0
	repeat
		for i = 0, 15 do
			local s = t["k" .. i]
			if s ~= nil and (#s < 16 or #s > 63 or s ~= string.rep(s:sub(1, 1), #s)) then
				torn = torn + 1
			end
			reads = reads + 1
		end
		if reads % 1024 == 0 then
			rcu.map(t, function(k, v)
				if type(v) == "string" and v ~= string.rep(v:sub(1, 1), #v) then
					torn = torn + 1
				end
			end)
		end
		local n = t.n or 0
		if n < last then
			torn = torn + 1
		end
		last = n
		if not t.done then
			overlap = reads
		end
	until t.done and reads >= 1000
	lunatik._ENV.rcu_torn = torn
	lunatik._ENV.rcu_overlap = overlap
	lunatik._ENV.rcu_reads = reads
end
