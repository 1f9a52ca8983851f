-- An uncaught runtime error reports the variable kind and name.
--[[ expect:
]]
-- expect-error: 2.3_uncaught_runtime_error.lua:6: attempt to index a nil value (field 'x')
local t = {}
t.x.y = 1
