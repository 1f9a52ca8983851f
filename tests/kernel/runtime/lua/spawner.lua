-- Tries to start a thread from its body.
require("lunatik.runner").spawn("test/echo")
