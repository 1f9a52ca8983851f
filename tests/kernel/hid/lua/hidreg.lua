-- Registration errors (come back as values).
local hid = require("hid")
local long = string.rep("x", 256)
local cases = {
	notable = 1,
	noname = {id_table = {}},
	longname = {name = long, id_table = {}},
	noids = {name = "x"},
	badentry = {name = "x", id_table = {1}},
	badfield = {name = "x", id_table = {{vendor = "x"}}},
}
return function(case)
	local ok, e = pcall(hid.register, cases[case])
	return e
end
