--- Netlink message codec: `nlmsghdr` records and `nlattr` lists, native byte order.
-- @module netlink.message

local message = {}

local HDR = 16

local function align(n)
	return (n + 3) & ~3
end

--- One message: a 16-byte header (length, type, flags, seq, pid 0) then `payload`.
function message.encode(type, flags, seq, payload)
	payload = payload or ""
	return string.pack("=I4I2I2I4I4", HDR + #payload, type, flags, seq, 0) .. payload
end

--- The records of `buf` as `{type, flags, body}`; stops at a truncated record.
function message.parse(buf)
	local list, pos = {}, 1
	while pos + HDR - 1 <= #buf do
		local len, type, flags = string.unpack("=I4I2I2", buf, pos)
		if len < HDR or pos + len - 1 > #buf then
			break
		end
		list[#list + 1] = {type = type, flags = flags, body = buf:sub(pos + HDR, pos + len - 1)}
		pos = pos + align(len)
	end
	return list
end

local function encodeattrs(t)
	local parts = {}
	for k, v in pairs(t) do
		local value = math.type(v) == "integer" and string.pack("=I4", v) or v
		local record = string.pack("=I2I2", 4 + #value, k) .. value
		parts[#parts + 1] = record .. string.rep("\0", align(#record) - #record)
	end
	return table.concat(parts)
end

local function decodeattrs(body, pos)
	local t = {}
	pos = pos or 1
	while pos + 3 <= #body do
		local len, type = string.unpack("=I2I2", body, pos)
		if len < 4 or pos + len - 1 > #body then
			break
		end
		-- the top bits are the NESTED and BYTEORDER flags, not part of the type
		t[type & 0x3fff] = body:sub(pos + 4, pos + len - 1)
		pos = pos + align(len)
	end
	return t
end

--- `attrs(table)` encodes `{[type] = value}`; `attrs(body [, pos])` decodes raw values.
function message.attrs(t, pos)
	if type(t) == "table" then
		return encodeattrs(t)
	end
	return decodeattrs(t, pos)
end

function message.u32(v)
	return v and #v >= 4 and (string.unpack("=I4", v)) or nil
end

function message.str(v)
	return v and (v:match("^[^%z]*")) or nil
end

return message
