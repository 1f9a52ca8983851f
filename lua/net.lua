--- IPv4 addresses between dotted strings and host-order integers.
-- @module net

local net = {}

-- Where each of the four numbers of a dotted address goes.
local shifts = {24, 16, 8, 0}

--- `"a.b.c.d"` as an integer. Takes each run of digits, masked to 8 bits, without
-- further validation; fewer than four leave the low bytes zero, a fifth raises.
function net.aton(s)
	local address, i = 0, 1
	for digits in string.gmatch(s, "%d+") do
		address = address | ((tonumber(digits) & 0xff) << shifts[i])
		i = i + 1
	end
	return address
end

--- The low 32 bits of `n` as `"a.b.c.d"`.
function net.ntoa(n)
	local bytes = {}
	for i, shift in ipairs(shifts) do
		bytes[i] = (n >> shift) & 0xff
	end
	return table.concat(bytes, ".")
end

return net
