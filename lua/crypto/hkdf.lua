--- HKDF (RFC 5869) over `hmac(<hash>)` from the `crypto` module.
-- local h <close> = require("crypto.hkdf").new("sha256")
-- local okm = h:hkdf(salt, ikm, info, 42)
-- @module crypto.hkdf

local crypto = require("crypto")

local hkdf = {}
hkdf.__index = hkdf

--- A new instance for `hash` (e.g. `"sha256"`); `#h` is the digest size.
function hkdf.new(hash)
	local mac = crypto.shash("hmac(" .. hash .. ")")
	return setmetatable({mac = mac, size = mac:digestsize()}, hkdf)
end

function hkdf.__len(h)
	return h.size
end

--- HMAC of `data` under `key` (sets the key each call).
function hkdf:hmac(key, data)
	self.mac:setkey(key)
	return self.mac:digest(data)
end

--- The pseudorandom key; a nil `salt` is `#h` zero bytes, as RFC 5869 says.
function hkdf:extract(salt, ikm)
	return self:hmac(salt or string.rep("\0", self.size), ikm)
end

--- `length` bytes of output keying material (at most 255 blocks of `#h` bytes).
function hkdf:expand(prk, info, length)
	info = info or ""
	local blocks = (length + self.size - 1) // self.size
	if blocks > 255 then
		error("length exceeds 255 * #h")
	end
	local t, okm = "", {}
	for i = 1, blocks do
		t = self:hmac(prk, t .. info .. string.char(i))
		okm[i] = t
	end
	return table.concat(okm):sub(1, length)
end

--- `expand(extract(salt, ikm), info, length)`.
function hkdf:hkdf(salt, ikm, info, length)
	return self:expand(self:extract(salt, ikm), info, length)
end

--- Frees the transform now; later use raises `null pointer dereference`.
function hkdf:close()
	getmetatable(self.mac).__close(self.mac)
end

hkdf.__close = hkdf.close

return hkdf
