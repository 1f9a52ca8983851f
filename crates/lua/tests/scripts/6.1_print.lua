-- print: tab-separated arguments, newline, tostring of every argument
-- (__tostring and __name), integers and floats that 5.4 and 5.5 print alike.
--[[ expect:
1	2	3
nil	true	false

a		b
-7	0	9223372036854775807	-9223372036854775808
1.5	-0.0	1e+100	100.0	inf	-inf	0.1	-2.5
custom object	nil
hello world	x
embedded
zero-free line
1	nil	3	nil
table-like
done
]]
print(1, 2, 3)
print(nil, true, false)
print()
print("a", "", "b")
print(-7, 0, math.maxinteger, math.mininteger)
print(1.5, -0.0, 1e100, 100.0, math.huge, -math.huge, 0.1, -2.5)
print(setmetatable({}, {__tostring = function() return "custom object" end}), nil)
print("hello world", "x")
print("embedded\nzero-free line")
print(table.unpack({1, nil, 3, nil}, 1, 4))
local named = setmetatable({}, {__name = "table-like"})
print((tostring(named):gsub(":.*", "")))
io.write("done\n")
