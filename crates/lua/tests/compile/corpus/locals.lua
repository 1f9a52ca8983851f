local a <const> = 10
local b <const> = "str"
local c <const> = a * 2
local d <const> = nil
local e <const> = true
local f <const> = 1.5
local g <close> = nil
local h, i <const> = 1, 2
local j <const> = {}
local k = a + c + f
print(a, b, c, d, e, f, h, i, j, k)
local function fn() return a, b, j end
local x = b .. "x"
local y = -a
local z = not e
local n1, n2, n3
local m1, m2 = 1
local p1, p2 = 1, 2, 3
local q1, q2 = f()
local r1, r2 = f(), g()
