--- Runs scripts encrypted by `tools/shade.sh`: `lighten.run(ct_hex, iv_hex)` decrypts with
-- the key that module `light` returns (64 hexadecimal digits) and runs the chunk.
-- @module lighten

local darken = require("darken")
local util = require("util")

local lighten = {}

local function bin(hex)
	return (util.hex2bin(hex))
end

--- The results of the decrypted chunk; errors as `darken.run`.
function lighten.run(ct_hex, iv_hex)
	return darken.run(bin(ct_hex), bin(iv_hex), bin(require("light")))
end

return lighten
