--- Runs scripts as runtimes and keeps track of them: one runtime per script, kept in
-- shared tables of `lunatik._ENV` so that every runtime (and the `lunatik` CLI, through
-- the control device) sees the same set.
-- @module lunatik.runner

local lunatik = require("lunatik")
local thread = require("thread")
local rcu = require("rcu")
local linux = require("linux")

local env = lunatik._ENV

local runner = {}

-- "examples/echo.lua" and "examples/echo" name the same script.
local function trim(script)
	return (string.gsub(script, "%.lua$", ""))
end

-- The shared table `env[name]`, made on first use.
local function registry(name)
	local t = env[name]
	if t == nil then
		t = rcu.table()
		env[name] = t
	end
	return t
end

local function stop(objects, script)
	local object = objects[script]
	if object then
		object:stop()
		objects[script] = nil
	end
end

-- Per-CPU instances are kept as "<script>:<cpu>", for cpu 0 .. linux.numcpus() - 1.
local function key(script, cpu)
	return script .. ":" .. cpu
end

local function stop_percpu(script)
	local percpu = registry("percpu")
	for cpu = 0, linux.numcpus() - 1 do
		stop(percpu, key(script, cpu))
	end
end

-- All instances or none: a failure stops those made and re-raises the error as it was.
local function run_percpu(script, context)
	local percpu = registry("percpu")
	for cpu = 0, linux.numcpus() - 1 do
		local ok, runtime = pcall(lunatik.runtime, script, context)
		if not ok then
			stop_percpu(script)
			error(runtime, 0)
		end
		percpu[key(script, cpu)] = runtime
	end
end

--- Makes the shared tables the runner keeps its scripts in (done on first use anyway).
function runner.startup()
	registry("runtimes")
	registry("percpu")
	registry("threads")
end

--- Runs `script` in a new runtime of `context` ("process" by default), or with `percpu`
-- in one runtime per CPU.
-- @treturn runtime the new runtime (nothing with `percpu`)
-- @raise "<script> is already running", or why a runtime could not be created
function runner.run(script, context, percpu)
	script = trim(script)
	local runtimes = registry("runtimes")
	if runtimes[script] or registry("percpu")[key(script, 0)] then
		error(string.format("%s is already running", script))
	end
	if percpu then
		run_percpu(script, context)
		return
	end
	local runtime = lunatik.runtime(script, context)
	runtimes[script] = runtime
	return runtime
end

--- Runs `script` and calls the function it returns in a new kernel thread.
-- @treturn thread the kernel thread
-- @raise "spawn does not support percpu scripts", or what `run` and `thread.run` raise
function runner.spawn(script, context, percpu)
	if percpu then
		error("spawn does not support percpu scripts")
	end
	script = trim(script)
	local runtime = runner.run(script, context)
	local t = thread.run(runtime, string.match(script, "[^/]*$"))
	registry("threads")[script] = t
	return t
end

--- Stops `script`: its thread first, then its runtime or its per-CPU runtimes.
function runner.stop(script)
	script = trim(script)
	stop(registry("threads"), script)
	stop(registry("runtimes"), script)
	stop_percpu(script)
end

-- The sorted names `name_of` finds among the keys of the registry `name`.
local function sorted(name, name_of)
	local list = {}
	rcu.map(registry(name), function(k)
		local script = name_of(k)
		if script then
			table.insert(list, script)
		end
	end)
	table.sort(list)
	return list
end

-- Per-CPU scripts first (named once, by their instance 0), then the others.
local function names()
	local list = sorted("percpu", function(k)
		return string.match(k, "^(.*):0$")
	end)
	for _, script in ipairs(sorted("runtimes", function(k)
		return k
	end)) do
		table.insert(list, script)
	end
	return list
end

--- The running scripts, separated by ", ": per-CPU ones first, each group sorted.
function runner.list()
	return table.concat(names(), ", ")
end

--- The counters of every running script: a list of `runtime:stats()` tables sorted by
-- `name` (the script, or "<script>:<cpu>" for a per-CPU instance, which also has `cpu`).
function runner.stats()
	local list = {}
	rcu.map(registry("percpu"), function(k, runtime)
		local s = runtime:stats()
		s.name, s.cpu = k, tonumber(string.match(k, ":(%d+)$"))
		table.insert(list, s)
	end)
	rcu.map(registry("runtimes"), function(k, runtime)
		local s = runtime:stats()
		s.name = k
		table.insert(list, s)
	end)
	table.sort(list, function(a, b) return a.name < b.name end)
	return list
end

--- Stops every running script.
function runner.shutdown()
	for _, script in ipairs(names()) do
		runner.stop(script)
	end
end

return runner
