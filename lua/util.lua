--- Helpers for binary strings and test scripts.
-- @module util

local util = {}

--- The bytes of `s` as lower-case hexadecimal, two digits each.
function util.bin2hex(s)
	return (string.gsub(s, ".", function(c)
		return string.format("%02x", string.byte(c))
	end))
end

--- The bytes that the hexadecimal `h` spells; also returns the number of pairs
-- (`string.gsub`'s count). An odd last digit stays as it is; a pair that is not hex
-- raises from `string.char`, as in C Lunatik.
function util.hex2bin(h)
	return string.gsub(h, "..", function(pair)
		return string.char(tonumber(pair, 16))
	end)
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
