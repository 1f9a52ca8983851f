--- Helpers for binary strings and test scripts.
-- @module util

local util = {}

-- Both conversions loop in Lua instead of calling back from string.gsub: a library
-- callback runs on the kernel stack, which a hardirq runtime has little of.
local CHUNK = 32

--- The bytes of `s` as lower-case hexadecimal, two digits each.
function util.bin2hex(s)
	local parts, n = {}, #s
	for i = 1, n, CHUNK do
		local j = math.min(i + CHUNK - 1, n)
		parts[#parts + 1] = string.format(string.rep("%02x", j - i + 1), string.byte(s, i, j))
	end
	return table.concat(parts)
end

--- The bytes that the hexadecimal `h` spells, and the number of pairs (as C Lunatik's
-- `string.gsub` gives them). An odd last digit stays as it is; a pair that is not hex
-- raises from `string.char`.
function util.hex2bin(h)
	local bytes, count = {}, string.len(h) // 2
	local char = string.char
	for i = 1, count do
		bytes[i] = char(tonumber(string.sub(h, 2 * i - 1, 2 * i), 16))
	end
	return table.concat(bytes) .. string.sub(h, 2 * count + 1), count
end

--- Prints `what` in upper case and the other arguments, tab-separated.
function util.log(what, ...)
	print(table.concat({what:upper(), ...}, "\t"))
end

--- Runs `fn` and prints `PASS\t<name>`, or `FAIL\t<name>\t<error>\t\n<traceback>`
-- (test harnesses grep these lines).
function util.test(name, fn)
	local ok, err = pcall(fn)
	if ok then
		util.log("pass", name)
	else
		util.log("fail", name, err, "\n" .. debug.traceback())
	end
end

return util
