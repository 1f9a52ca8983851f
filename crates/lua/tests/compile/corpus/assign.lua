local a, b, c
a, b = 1, 2
a, b, c = f()
a, b = b, a
local t = {}
t.x, t.y = 1, 2
t[a], a = a, t[a]
x, y, z = 1
x, y = y, x
t[1], t[2], t[3] = 3, 2, 1
t.a.b.c = t.d.e
a = a
a, b = ...
local u = {}
local function g() u, u.x = 1, 2 end
local function h() u.x, u = 1, 2 end
t[t], t = 1, 2
t[a], t[b] = t[b], t[a]
