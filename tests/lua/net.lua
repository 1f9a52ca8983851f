-- net: aton and ntoa.
local net = require("net")
local t = require("testing")
local test, same, raises = t.test, t.same, t.raises

test("aton reads a dotted address in host order", function()
	same(net.aton("192.168.1.10"), 0xC0A8010A)
	same(math.type(net.aton("10.0.0.1")), "integer")
	same(net.aton("0.0.0.0"), 0)
	same(net.aton("255.255.255.255"), 0xFFFFFFFF)
end)

test("aton masks each number to 8 bits and does not validate", function()
	same(net.aton("256.1.1.1"), 0x00010101)
	same(net.aton("a1b2c3d4"), 0x01020304)
end)

test("aton of fewer than four numbers leaves the low bytes zero", function()
	same(net.aton("10.1"), 0x0A010000)
	same(net.aton(""), 0)
end)

test("aton of more than four numbers raises", function()
	raises("bitwise operation on a nil value", net.aton, "1.2.3.4.5")
end)

test("ntoa writes a.b.c.d", function()
	same(net.ntoa(0xC0A8010A), "192.168.1.10")
	same(net.ntoa(0), "0.0.0.0")
	same(net.ntoa(0x7F000001), "127.0.0.1")
end)

test("ntoa ignores the bits above 32", function()
	same(net.ntoa(0x1C0A8010A), "192.168.1.10")
	same(net.ntoa(-1), "255.255.255.255")
end)

test("ntoa and aton round-trip", function()
	for _, a in ipairs({"1.2.3.4", "172.16.254.3", "8.8.8.8"}) do
		same(net.ntoa(net.aton(a)), a)
	end
end)

t.done()
