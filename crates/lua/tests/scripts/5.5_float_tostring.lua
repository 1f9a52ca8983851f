-- lua5.5-only
-- Lua 5.5 float to string (tostring, print, concatenation): "%.15g", or "%.17g"
-- when the shorter form does not read back to the same float, with ".0"
-- appended when the result looks like an integer.
--[[ expect:
9007199254740992.0
0.33333333333333331
0.1
0.30000000000000004
33.333333333333336
9.2233720368547758e+18
3.1415926535897931
-0.0
1e+15
123456789012345.0
1234567890123456.0
1e+100
1e-05
0.66666666666666663
1.5
3.0
-1e+16
4.94065645841247e-324
1.7976931348623157e+308
1e+21
123.456
inf
-inf
3.5
16777216.5
0.14285714285714285
10.0
concat: 0.33333333333333331|9007199254740992.0
tostring: 0.30000000000000004
format %s: 33.333333333333336
]]
print(2^53)
print(1/3)
print(0.1)
print(0.1 + 0.2)
print(100/3)
print(2^63)
print(math.pi)
print(-0.0)
print(1e15)
print(123456789012345.0)
print(1234567890123456.0)
print(1e100)
print(1e-5)
print(2/3)
print(1.5)
print(3.0)
print(-1e16)
print(5e-324)
print(1.7976931348623157e308)
print(1e21)
print(123.456)
print(math.huge)
print(-math.huge)
print(7.0/2)
print(2^24 + 0.5)
print(1/7)
print(10/3*3)
print("concat: " .. 1/3 .. "|" .. 2^53)
print("tostring: " .. tostring(0.1 + 0.2))
print(string.format("format %%s: %s", 100/3))
