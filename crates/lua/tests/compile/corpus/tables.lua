local t = {}
local u = {1, 2, 3}
local v = {a = 1, b = 2, ["c"] = 3, [10] = 4, [u] = 5}
local w = {1, 2, a = 3, 4, [5] = 6; 7}
local x = {f(), g()}
local y = {f(), g(), nil}
local z = {...}
local big = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60}
local nested = {{1, 2}, {3, {4, {5}}}, x = {y = {z = 1}}}
print(t[1], t.x, t["x"], t[1.0], t[true], t[u], t[-1], t[256], t[255])
t.x = 1; t[1] = 2; t["y"] = 3; t[u] = 4; t[300] = 5; t[1.5] = 6; t.x = u; t.y = true; t.z = nil
local s = t.a.b.c
s = t:m(); s = t:m(1, 2); s = t.m(t); s = u:n "x"; s = u:n {1}
print(#t, #"abc")
local long = {["a very long key that is certainly longer than forty chars"] = 1}
long["a very long key that is certainly longer than forty chars"] = 2
