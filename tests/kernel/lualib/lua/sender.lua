-- Sends one message to a mailbox whose fifo and completion come through resume.
local mailbox = require("mailbox")

return function(q, e, message)
	mailbox.outbox(q, e):send(message)
	return "sent"
end
