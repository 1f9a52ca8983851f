-- util: bin2hex, hex2bin, log, test.
local util = require("util")
local t = require("testing")
local test, same, raises = t.test, t.same, t.raises

-- What `fn` prints, one string per print call.
local function printed(fn)
	local lines, real = {}, print
	print = function(...)
		local parts = table.pack(...)
		for i = 1, parts.n do parts[i] = tostring(parts[i]) end
		table.insert(lines, table.concat(parts, "\t"))
	end
	local ok, err = pcall(fn)
	print = real
	assert(ok, err)
	return lines
end

test("bin2hex gives two lower-case digits per byte", function()
	same(util.bin2hex("\0\1\15\16\255ab"), "00010f10ff6162")
	same(util.bin2hex(""), "")
	same(select("#", util.bin2hex("ab")), 1)
end)

test("hex2bin returns the bytes and the pair count", function()
	local s, n = util.hex2bin("00ff7F41")
	same(s, "\0\255\127A")
	same(n, 4)
	local e, m = util.hex2bin("")
	same(e, "")
	same(m, 0)
end)

test("hex2bin keeps an odd last digit", function()
	local s, n = util.hex2bin("414")
	same(s, "A4")
	same(n, 1)
end)

test("hex2bin of a non-hex pair raises from string.char", function()
	raises("bad argument #1 to 'char'", util.hex2bin, "zz")
end)

test("long strings convert past the chunk size", function()
	local long = string.rep("\1\254", 100)
	same(util.bin2hex(long), string.rep("01fe", 100))
	local s, n = util.hex2bin(string.rep("01fe", 100) .. "a")
	same(s, long .. "a")
	same(n, 200)
end)

test("bin2hex and hex2bin round-trip every byte", function()
	local all = {}
	for b = 0, 255 do all[#all + 1] = string.char(b) end
	local bytes = table.concat(all)
	same((util.hex2bin(util.bin2hex(bytes))), bytes)
end)

test("log prints what in upper case and the rest, tab-separated", function()
	local lines = printed(function() util.log("info", "a", 1) end)
	same(#lines, 1)
	same(lines[1], "INFO\ta\t1")
end)

test("test prints PASS and the name", function()
	local lines = printed(function() util.test("works", function() end) end)
	same(#lines, 1)
	same(lines[1], "PASS\tworks")
end)

test("test prints FAIL, the name, the error and a traceback", function()
	local lines = printed(function() util.test("breaks", function() error("boom", 0) end) end)
	same(#lines, 1)
	assert(string.find(lines[1], "^FAIL\tbreaks\tboom\t\nstack traceback:"), lines[1])
end)

t.done()
