-- The Lua-only loops of the micro benchmarks, shared by the kernel runtime (micro.lua) and
-- Debian's lua5.4 in the guest (run): each takes an iteration count.
local loops = {}

function loops.loop(n)
	for _ = 1, n do end
end

function loops.call(n)
	local function f(x) return x end
	for i = 1, n do f(i) end
end

function loops.get(n)
	local t, x = {k = 1}, nil
	for _ = 1, n do x = t.k end
	return x
end

function loops.set(n)
	local t = {k = 1}
	for i = 1, n do t.k = i end
end

function loops.concat(n)
	local s = ""
	for i = 1, n do s = s .. "x" .. i; if #s > 4096 then s = "" end end
end

return loops
