-- class: `class(t)` and `C:new(o)`.
local class = require("class")
local t = require("testing")
local test, same = t.test, t.same

test("class() makes a new table with new", function()
	local C = class()
	same(type(C), "table")
	same(type(C.new), "function")
end)

test("class(t) returns t itself", function()
	local t0 = {answer = 42}
	same(class(t0), t0)
	same(t0.answer, 42)
end)

test("new returns the given table with the class as metatable", function()
	local Point = class()
	function Point:sum() return self.x + self.y end
	local o = {x = 1, y = 2}
	local p = Point:new(o)
	same(p, o)
	same(getmetatable(p), Point)
	same(Point.__index, Point)
	same(p:sum(), 3)
end)

test("new without a table makes one", function()
	local C = class()
	local a, b = C:new(), C:new()
	same(getmetatable(a), C)
	assert(a ~= b)
end)

test("__close is close as it is at new", function()
	local C = class()
	local first = C:new()
	same(C.__close, nil)
	local closed = 0
	function C:close() closed = closed + 1 end
	do
		local o <close> = C:new()
	end
	same(closed, 1)
	same(getmetatable(first).__close, C.close)
end)

test("new on an instance makes a subclass that inherits", function()
	local Base = class()
	function Base:kind() return "base" end
	function Base:close() self.closed = true end
	local Derived = Base:new()
	function Derived:extra() return "extra" end
	local d = Derived:new({})
	same(getmetatable(d), Derived)
	same(Derived.__index, Derived)
	same(d:kind(), "base")
	same(d:extra(), "extra")
	same(Derived.__close, Base.close)
	same(rawget(Derived, "close"), nil)
	same(Base:new().extra, nil)
end)

t.done()
