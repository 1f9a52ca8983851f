local t = {}
for i = 1, 100 do t[i] = (i * 7919) % 101 end
table.sort(t)
local u = {5, 3, 1, 4, 2}
local ok = pcall(table.sort, u, function(a, b) return true end)
local v = {3, 1, 2}
pcall(table.sort, v, function(a, b) error("cmp") end)
local w = {"b", "a", 3}
local ok2 = pcall(table.sort, w)
table.sort(t, function(a, b) return a > b end)
return t[1], t[100], ok, ok2, table.unpack(v)
