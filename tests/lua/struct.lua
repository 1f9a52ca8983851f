-- struct: codecs derived from layouts.
local struct = require("struct")
local t = require("testing")
local test, same, raises = t.test, t.same, t.raises

local function field(name, offset, size, signed)
	return {name = name, offset = offset, size = size, signed = signed}
end

local timeval = {size = 16, fields = {field("tv_sec", 0, 8, true), field("tv_usec", 8, 8, true)}}

test("a codec has format, size and layout", function()
	local tv = struct(timeval)
	same(tv.format, "=i8i8")
	same(tv.size, 16)
	same(tv.layout, timeval)
end)

test("pack and unpack round-trip in native order", function()
	local tv = struct(timeval)
	local bytes = tv:pack(0, 500000)
	same(#bytes, 16)
	same(bytes, string.pack("=i8i8", 0, 500000))
	local sec, usec, next = tv:unpack(bytes)
	same(sec, 0)
	same(usec, 500000)
	same(next, 17)
end)

test("fields are taken in offset order; gaps and the tail are padding", function()
	local layout = {size = 12, fields = {field("b", 4, 2, false), field("a", 0, 1, true)}}
	local c = struct(layout)
	same(c.format, "=i1xxxI2xxxxxx")
	same(layout.fields[1].name, "b")
	local bytes = c:pack(-1, 0xBEEF)
	same(#bytes, 12)
	local a, b = c:unpack(bytes)
	same(a, -1)
	same(b, 0xBEEF)
end)

test("unpack starts at pos", function()
	local c = struct({size = 2, fields = {field("x", 0, 2, false)}})
	local x, next = c:unpack("\0" .. c:pack(7), 2)
	same(x, 7)
	same(next, 4)
end)

test("fieldsize names a field's size, or nil", function()
	local c = struct({size = 8, fields = {field("len", 0, 4), field("kind", 4, 2), field("flags", 6, 2)}})
	same(c:fieldsize("len"), 4)
	same(c:fieldsize("flags"), 2)
	same(c:fieldsize("nope"), nil)
end)

test("overlapping fields fail the assertion", function()
	local union = {size = 4, fields = {field("a", 0, 4), field("b", 0, 2)}}
	raises("struct%.lua:%d+: struct: derived format does not match the layout size "
		.. "%(overlapping fields%?%)$", struct, union)
end)

test("pack and unpack pass string.pack's errors on", function()
	local c = struct({size = 1, fields = {field("x", 0, 1, false)}})
	raises("overflow", c.pack, c, 256)
	raises("data string too short", c.unpack, c, "")
	raises("out of limits", struct, {size = 17, fields = {field("big", 0, 17)}})
end)

t.done()
