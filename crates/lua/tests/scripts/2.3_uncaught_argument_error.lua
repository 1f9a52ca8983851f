-- Argument errors name the function and the argument as PUC Lua does.
--[[ expect:
]]
-- expect-error: 2.3_uncaught_argument_error.lua:5: bad argument #1 to 'rep' (number expected, got table)
local s = ("x"):rep({})
