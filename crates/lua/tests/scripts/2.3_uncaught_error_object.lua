-- An uncaught non-string error object without __tostring is described by type.
--[[ expect:
]]
-- expect-error: (error object is a table value)
error({code = 1})
