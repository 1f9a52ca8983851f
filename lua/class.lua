--- Turns a table into a class: `class(t)` gives it a `new` method that makes instances
-- (and, called on an instance, subclasses).
-- @module class

-- `__index` and `__close` are set at each `new`, from the class as it is then, so methods
-- (and `close`) may be added after `class(t)`.
local function new(class, object)
	class.__index = class
	class.__close = class.close
	return setmetatable(object or {}, class)
end

--- Makes `t` (a new table if nil) a class and returns it.
return function(t)
	t = t or {}
	t.new = new
	return t
end
