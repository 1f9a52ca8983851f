-- A hardirq runtime's body compiles, nests coroutines and requires Lua modules like any
-- other (it runs in process context at creation).
local f = load("return 1 + 1")
local function nest(n)
	if n == 0 then
		return 0
	end
	return coroutine.wrap(function() return 1 + nest(n - 1) end)()
end
local depth = nest(100)
local runner = require("lunatik.runner")
return function()
	return f(), depth, type(runner.run)
end
