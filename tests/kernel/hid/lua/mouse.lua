-- A driver for QEMU's USB mouse recording what its callbacks see.
local hid = require("hid")
local driver = {name = "lunatik_test_mouse", id_table = {{vendor = 0x0627, product = 0x0001, driver_data = 7}}}
local seen = {events = 0}

function driver:probe(id)
	seen.probe = string.format("%x:%x:%d:%s", id.vendor, id.product, id.driver_data, tostring(self == driver))
end

function driver:report_fixup(hdev, rdesc)
	seen.fixup = string.format("%x:%x:%s", hdev.vendor, hdev.product, tostring(#rdesc > 0 and rdesc:getbyte(0) == 0x05))
end

function driver:raw_event(hdev, report, raw)
	seen.events = seen.events + 1
	seen.dx = raw:getint8(1)
	seen.report = report.type .. ":" .. math.type(report.size)
	seen.kept = raw
end

hid.register(driver)
return function(op)
	if op == "kept" then return #seen.kept end
	return seen[op]
end
