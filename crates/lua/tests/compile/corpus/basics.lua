local a, b = 1, 2.5
print("hi", a + b, a // 0, 3 * 1.0, nil, true)
local function f(x, ...) local t = {...} return x, #t, 1e300*1e10 end
for i = 1, 10 do a = a + i end
goto done
::done::
