--- Runs scripts as runtimes and keeps track of them: one runtime per script, kept in
-- shared tables of `lunatik._ENV` so that every runtime (and the `lunatik` CLI, through
-- the control device) sees the same set.
-- @module lunatik.runner

local lunatik = require("lunatik")
local thread = require("thread")
local rcu = require("rcu")

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

--- Runs `script` in a new runtime of `context` ("process" by default).
-- @treturn runtime the new runtime
-- @raise "<script> is already running", or why the runtime could not be created
function runner.run(script, context)
	script = trim(script)
	local runtimes = registry("runtimes")
	if runtimes[script] then
		error(string.format("%s is already running", script))
	end
	local runtime = lunatik.runtime(script, context)
	runtimes[script] = runtime
	return runtime
end

--- Runs `script` and calls the function it returns in a new kernel thread.
-- @treturn thread the kernel thread
function runner.spawn(script, context)
	script = trim(script)
	local runtime = runner.run(script, context)
	local t = thread.run(runtime, string.match(script, "[^/]*$"))
	registry("threads")[script] = t
	return t
end

--- Stops `script`: its thread first, then its runtime.
function runner.stop(script)
	script = trim(script)
	stop(registry("threads"), script)
	stop(registry("runtimes"), script)
end

local function names()
	local list = {}
	rcu.map(registry("runtimes"), function(script)
		table.insert(list, script)
	end)
	table.sort(list)
	return list
end

--- The running scripts, sorted and separated by ", ".
function runner.list()
	return table.concat(names(), ", ")
end

--- Stops every running script.
function runner.shutdown()
	for _, script in ipairs(names()) do
		runner.stop(script)
	end
end

return runner
