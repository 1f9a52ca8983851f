local m, n = math.maxinteger, math.mininteger
return m + 1 == n, n // -1, n % -1, math.abs(n), m * 2, -n, n // 1, 7 // 0.0, -7 % 0.0, math.fmod(n, -1), math.tointeger(2^63), math.ult(1, -1), 1 << 64, 1 >> -1, 3 & 2.0, pcall(function() return 1 // 0 end), pcall(function() return 1 % 0 end)
