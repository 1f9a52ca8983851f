--- Generic netlink (`NETLINK_GENERIC`) session: family look-up and command calls.
-- @module netlink.genl

local session = require("netlink.session")
local message = require("netlink.message")
local nl = require("linux.netlink")
local genl = require("linux.genl")

local CTRL = 0x10 -- GENL_ID_CTRL

local g = session:subclass({proto = nl.proto.GENERIC})

local function header(cmd)
	return string.pack("=BBI2", cmd, 1, 0)
end

local function decode(list)
	local out = {}
	for _, m in ipairs(list) do
		if m.type >= 0x10 and #m.body >= 4 then
			out[#out + 1] = {cmd = m.body:byte(1), attrs = message.attrs(m.body, 5)}
		end
	end
	return out
end

--- The id of family `name` (raises `ENOENT` when it is not registered).
function g:family(name)
	local attrs = message.attrs({[genl.attr.FAMILY_NAME] = name .. "\0"})
	for _, r in ipairs(decode(self:talk(CTRL, 0, header(genl.cmd.GETFAMILY) .. attrs))) do
		local id = r.attrs[genl.attr.FAMILY_ID]
		if id then
			return (string.unpack("=I2", id))
		end
	end
	error("genl family not found: " .. name)
end

function g:call(id, cmd, flags, payload)
	return decode(self:talk(id, flags, header(cmd) .. (payload or "")))
end

function g:dump(id, cmd, payload)
	return decode(session.dump(self, id, header(cmd) .. (payload or "")))
end

return g
