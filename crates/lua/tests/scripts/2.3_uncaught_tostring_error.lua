-- An uncaught error object with __tostring is reported through it.
--[[ expect:
]]
-- expect-error: custom failure text
error(setmetatable({}, {__tostring = function() return "custom failure text" end}))
