--- Codecs for fixed C struct layouts (the `layout` tables of the `linux.*` modules):
-- `struct(layout)` derives a `string.pack` format once; the codec packs and unpacks it.
-- @module struct

local codec = {}
codec.__index = codec

-- The fields in offset order, on a copy: the caller's layout stays as it was.
local function by_offset(fields)
	local sorted = table.move(fields, 1, #fields, 1, {})
	table.sort(sorted, function(a, b)
		return a.offset < b.offset
	end)
	return sorted
end

-- Native byte order; `I<n>`/`i<n>` per field, `x` for each byte of a gap and of the tail.
local function format_of(layout)
	local parts, at = {"="}, 0
	for _, field in ipairs(by_offset(layout.fields)) do
		if field.offset > at then
			parts[#parts + 1] = string.rep("x", field.offset - at)
		end
		parts[#parts + 1] = (field.signed and "i" or "I") .. field.size
		at = field.offset + field.size
	end
	if layout.size > at then
		parts[#parts + 1] = string.rep("x", layout.size - at)
	end
	return table.concat(parts)
end

--- The field values, in offset order, as the struct's bytes.
function codec:pack(...)
	return string.pack(self.format, ...)
end

--- The field values read from `buf` at `pos` (default 1), then the position after them.
function codec:unpack(buf, pos)
	return string.unpack(self.format, buf, pos)
end

--- The size of the field called `name`, or nil.
function codec:fieldsize(name)
	for _, field in ipairs(self.layout.fields) do
		if field.name == name then
			return field.size
		end
	end
end

--- A codec with `format`, `size` and `layout`. Overlapping fields (a union) give a
-- format longer than the struct, which is refused.
return function(layout)
	local format = format_of(layout)
	assert(string.packsize(format) == layout.size,
		"struct: derived format does not match the layout size (overlapping fields?)")
	return setmetatable({format = format, size = layout.size, layout = layout}, codec)
end
