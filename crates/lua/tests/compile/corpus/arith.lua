local a, b = 1, 2
local x = a + b - a * b / a % b ^ a // b
x = a & b | a ~ b << a >> b
x = ~a; x = -a; x = #a; x = not a
x = a + 1; x = a - 1; x = 1 + a; x = 1 - a; x = a * 2; x = 2 * a
x = a + 1.5; x = a - 1.5; x = a + 300; x = a - 300; x = a + -127; x = a - -128
x = a / 2; x = a // 2; x = a % 2; x = a ^ 2
x = a & 3; x = 3 & a; x = a | 0xff; x = a ~ 1
x = a << 2; x = a >> 2; x = 2 << a; x = 2 >> a; x = a << -3; x = a >> -3
x = 1 + 2 * 3 - 4 / 2
x = 7 // 2; x = 7 % 3; x = -7 // 2; x = -7 % 3; x = 7.5 // 2; x = 7.5 % 2
x = 1 << 62; x = 1 >> 1; x = 5 & 3; x = 5 | 3; x = 5 ~ 3; x = ~5
x = 2^53; x = 10 / 4; x = 1 / 0; x = -1 / 0; x = 0 / 0; x = 3 - 3.0
x = "a" .. "b" .. a .. b
x = a .. b .. "c"
x = (a .. b) .. "c"
x = -(-a); x = - -2; x = -2^2; x = not not a
x = a + b + a + b
x = (a + b) * (a - b)
x = 9223372036854775807 + 1
x = math.maxinteger // -1
x = 1e308 * 10
x = a + 1e100
x = 0x7fffffff + 0xffffffff
x = 255 + a; x = a + 255; x = 256 + a
