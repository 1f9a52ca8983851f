-- lunatik.runner over fake lunatik, thread, rcu and linux modules: the bookkeeping of
-- plain, spawned and per-CPU scripts (the kernel suite tests/kernel/runtime runs the real one).
local t = require("testing")
local test, same, raises = t.test, t.same, t.raises

local made = {}      -- every runtime created, in order
local fail_at = nil  -- the creation that fails (its index in `made`), if any

local Runtime = {}
Runtime.__index = Runtime
function Runtime:stop() self.stopped = true end

package.preload.lunatik = function()
	return {
		_ENV = {},
		runtime = function(script, context, ...)
			assert(select("#", ...) == 0, "extra arguments passed to lunatik.runtime")
			if #made + 1 == fail_at then
				error("/lib/modules/lua/" .. script .. ".lua:1: bad body", 0)
			end
			local rt = setmetatable({script = script, context = context}, Runtime)
			made[#made + 1] = rt
			return rt
		end,
	}
end
package.preload.thread = function()
	return {run = function(rt, name) return setmetatable({runtime = rt, name = name}, Runtime) end}
end
package.preload.rcu = function()
	return {
		table = function() return {} end,
		map = function(tbl, f)
			local keys = {}
			for k in pairs(tbl) do keys[#keys + 1] = k end
			for _, k in ipairs(keys) do f(k, tbl[k]) end
		end,
	}
end
package.preload.linux = function() return {numcpus = function() return 2 end} end

local runner = require("lunatik.runner")
local env = require("lunatik")._ENV

local function reset()
	runner.shutdown()
	made, fail_at = {}, nil
end

test("startup makes the three registries", function()
	runner.startup()
	same(type(env.runtimes), "table")
	same(type(env.percpu), "table")
	same(type(env.threads), "table")
end)

test("percpu run makes one runtime per CPU and returns nothing", function()
	reset()
	same(select("#", runner.run("pc", "softirq", true)), 0)
	same(#made, 2)
	same(env.percpu["pc:0"], made[1])
	same(env.percpu["pc:1"], made[2])
	same(made[2].context, "softirq")
	same(made[1].script, "pc")
	same(env.runtimes.pc, nil)
end)

test("a name running per-CPU or plain cannot run again", function()
	reset()
	runner.run("pc.lua", nil, true)
	runner.run("plain")
	raises("runner%.lua:%d+: pc is already running$", runner.run, "pc")
	raises("pc is already running", runner.run, "pc", nil, true)
	raises("plain is already running", runner.run, "plain.lua", nil, true)
	same(#made, 3)
end)

test("a failing instance stops the ones made and re-raises the error unchanged", function()
	reset()
	fail_at = 2
	local err = raises("bad body", runner.run, "broken", "process", true)
	same(err, "/lib/modules/lua/broken.lua:1: bad body")
	same(#made, 1)
	same(made[1].stopped, true)
	same(env.percpu["broken:0"], nil)
	same(runner.list(), "")
end)

test("spawn refuses percpu before creating anything", function()
	reset()
	raises("runner%.lua:%d+: spawn does not support percpu scripts$", runner.spawn, "s", nil, true)
	same(#made, 0)
	same(runner.list(), "")
end)

test("list names per-CPU scripts once, first, then the plain ones", function()
	reset()
	runner.run("b")
	runner.run("pz", nil, true)
	runner.run("a")
	runner.run("pa", nil, true)
	same(runner.list(), "pa, pz, a, b")
end)

test("stop stops every per-CPU instance; an instance's key is not a script", function()
	reset()
	runner.run("pc", nil, true)
	runner.stop("pc:0")
	same(made[1].stopped, nil)
	runner.stop("pc.lua")
	same(made[1].stopped, true)
	same(made[2].stopped, true)
	same(env.percpu["pc:0"], nil)
	same(env.percpu["pc:1"], nil)
	runner.run("pc", nil, true)
	same(#made, 4)
end)

test("shutdown stops plain, spawned and per-CPU scripts", function()
	reset()
	runner.run("pc", nil, true)
	local th = runner.spawn("daemon")
	runner.run("x")
	runner.shutdown()
	for _, rt in ipairs(made) do same(rt.stopped, true) end
	same(th.stopped, true)
	same(runner.list(), "")
end)

test("spawn keeps its thread under the name without .lua", function()
	reset()
	local th = runner.spawn("dir/daemon.lua")
	same(th.name, "daemon")
	same(env.threads["dir/daemon"], th)
	runner.stop("dir/daemon.lua")
	same(th.stopped, true)
	same(made[1].stopped, true)
end)

test("only a .lua suffix is stripped", function()
	reset()
	runner.run("mylua")
	runner.run("x.lua.bak")
	same(runner.list(), "mylua, x.lua.bak")
end)

t.done()
