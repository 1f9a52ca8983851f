-- An uncaught error ends the script: output before it is kept, the message
-- with its position goes to stderr, and the exit status is 1.
--[[ expect:
before
]]
-- expect-error: 2.3_uncaught_error.lua:8: boom
print("before")
local function fail() error("boom") end
fail()
print("after")
