-- Hammers the shared table _ENV.rcu_hammer from a kernel thread: 16 keys in 2 buckets are
-- set to strings of one repeated letter (of changing lengths) and removed in turn, while
-- `n` counts up. Sets `done` at the end.
local lunatik = require("lunatik")
return function()
	local t = lunatik._ENV.rcu_hammer
	for i = 1, 20000 do
		local key = "k" .. (i % 16)
		if i % 5 == 0 then
			t[key] = nil
		else
			t[key] = string.rep(string.char(65 + i % 26), 16 + i % 48)
		end
		t.n = i
	end
	t.done = true
end
