-- mailbox over the fake fifo and completion.
local fakes = require("fakes")
local mailbox = require("mailbox")
local fifo = require("fifo")
local completion = require("completion")
local t = require("testing")
local test, same, raises = t.test, t.same, t.raises

-- An inbox and an outbox sharing one fifo and completion, as two runtimes would.
local function pair(size)
	local inbox = mailbox.inbox(size or 64)
	return inbox, mailbox.outbox(inbox.queue, inbox.event)
end

test("a capacity makes a new fifo and completion", function()
	local box = mailbox.inbox(64)
	same(type(box.queue), "userdata")
	same(type(box.event), "table")
	assert(mailbox.outbox(64).queue ~= box.queue)
end)

test("a fifo and a completion are used as given", function()
	local q, e = fifo.new(16), completion.new()
	local box = mailbox.outbox(q, e)
	same(box.queue, q)
	same(box.event, e)
end)

test("a message sent is received with its length", function()
	local inbox, outbox = pair()
	outbox:send("hello")
	local msg, n = inbox:receive(1000)
	same(msg, "hello")
	same(n, 5)
	same(inbox.event.waits[1], 1000)
end)

test("messages keep their order and their bytes", function()
	local inbox, outbox = pair(256)
	local sent = {"one", "", "\0two\0", string.rep("x", 100)}
	for _, m in ipairs(sent) do outbox:send(m) end
	for _, m in ipairs(sent) do
		local got, n = inbox:receive()
		same(got, m)
		same(n, #m)
	end
	same(inbox.event.waits[1], "forever")
end)

test("a message is framed with an 8-byte length", function()
	local inbox, outbox = pair()
	outbox:send("abc")
	same(inbox.queue:pop(100), string.pack("s", "abc"))
	same(#string.pack("s", ""), 8)
end)

test("send on an inbox raises receive-only mailbox", function()
	local inbox = pair()
	raises("mailbox%.lua:%d+: receive%-only mailbox$", inbox.send, inbox, "x")
end)

test("receive on an outbox raises send-only mailbox", function()
	local _, outbox = pair()
	raises("mailbox%.lua:%d+: send%-only mailbox$", outbox.receive, outbox)
end)

test("receive with nothing sent raises the wait's reason", function()
	local inbox = pair()
	raises("mailbox%.lua:%d+: timeout$", inbox.receive, inbox, 0)
	fakes.why = "interrupt"
	raises("mailbox%.lua:%d+: interrupt$", inbox.receive, inbox, 10)
	fakes.why = "timeout"
end)

test("woken with an empty queue, receive returns nil", function()
	local inbox = pair()
	inbox.event:complete()
	same(select("#", inbox:receive()), 1)
end)

test("a frame shorter than its header is malformed", function()
	local inbox = pair()
	inbox.queue:push("abc")
	inbox.event:complete()
	raises("mailbox%.lua:%d+: malformed message$", inbox.receive, inbox)
end)

test("a message larger than the fifo raises the fifo's error and is not queued", function()
	local inbox, outbox = pair(16)
	raises("not enough space", outbox.send, outbox, string.rep("x", 9))
	same(inbox.event.done, 0)
	outbox:send("12345678")
	same((inbox:receive()), "12345678")
end)

t.done()
