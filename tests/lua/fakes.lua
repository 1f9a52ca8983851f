-- Host stand-ins for the kernel modules the pure-Lua libraries use, installed in
-- package.preload. They model the documented behaviour only as far as the tests need.
local fakes = {}

-- fifo: a fifo object is a full userdata, as in the kernel (mailbox tells a fifo from a
-- capacity by its type); io.tmpfile() gives one, and debug.setmetatable gives it methods.
local state = setmetatable({}, {__mode = "k"})
local Fifo = {}
Fifo.__index = Fifo

function Fifo:push(s)
	local f = state[self]
	if #f.data + #s > f.size then
		error("bad argument #2 to 'push' (not enough space)")
	end
	f.data = f.data .. s
end

function Fifo:pop(n)
	local f = state[self]
	local s = string.sub(f.data, 1, n)
	f.data = string.sub(f.data, n + 1)
	return s, #s
end

local fifo = {}
function fifo.new(size)
	assert(size >= 2, "failed to allocate kfifo (-22)")
	local capacity = 2
	while capacity < size do capacity = capacity * 2 end
	local object = io.tmpfile()
	debug.setmetatable(object, Fifo)
	state[object] = {data = "", size = capacity}
	return object
end

-- completion: `wait` cannot block on the host; with nothing completed it gives
-- `nil, fakes.why` ("timeout" unless a test sets another reason).
fakes.why = "timeout"
local Completion = {}
Completion.__index = Completion

function Completion:complete()
	self.done = self.done + 1
end

function Completion:wait(ms)
	self.waits[#self.waits + 1] = ms or "forever"
	if self.done > 0 then
		self.done = self.done - 1
		return true
	end
	return nil, fakes.why
end

local completion = {}
function completion.new()
	return setmetatable({done = 0, waits = {}}, Completion)
end

package.preload.fifo = function() return fifo end
package.preload.completion = function() return completion end

return fakes
