--- One-way message queues between runtimes: a `fifo` holds the messages, each framed by
-- `string.pack("s")`, and a `completion` is completed once per message sent.
-- @module mailbox

local fifo = require("fifo")
local completion = require("completion")

local mailbox = {}

-- The frame's length prefix: a size_t.
local HEADER = string.packsize("T")

local Inbox = {}
Inbox.__index = Inbox

local Outbox = {}
Outbox.__index = Outbox

function Inbox.send()
	error("receive-only mailbox")
end

function Outbox.receive()
	error("send-only mailbox")
end

--- Sends `message`: all of it, or raises the fifo's `not enough space`.
function Outbox:send(message)
	self.queue:push(string.pack("s", message))
	self.event:complete()
end

--- Waits up to `ms` milliseconds (forever if nil) for a message, and returns it and its
-- length; nil when woken with an empty queue. Raises `timeout`, `interrupt` or `unknown`
-- from the wait, and `malformed message` for a frame cut short.
function Inbox:receive(ms)
	local ok, why = self.event:wait(ms)
	if not ok then
		error(why)
	end
	local header, got = self.queue:pop(HEADER)
	if got == 0 then
		return nil
	elseif got < HEADER then
		error("malformed message")
	end
	return self.queue:pop((string.unpack("T", header)))
end

-- `q` is a fifo (and `e` its completion) shared with another runtime, or the capacity of
-- a new fifo, which gets a new completion.
local function new(class, q, e)
	local box = {}
	if type(q) == "userdata" then
		box.queue, box.event = q, e
	else
		box.queue, box.event = fifo.new(q), completion.new()
	end
	return setmetatable(box, class)
end

--- A receive-only mailbox `{queue =, event =}`.
function mailbox.inbox(q, e)
	return new(Inbox, q, e)
end

--- A send-only mailbox `{queue =, event =}`.
function mailbox.outbox(q, e)
	return new(Outbox, q, e)
end

return mailbox
