local t = {1, 2, 3, nil, 5, n = 1, [1.0] = "one", [2^53] = "big", [-0.0] = "zero"}
t[#t + 1] = 6
table.insert(t, 1, 0)
table.remove(t)
table.remove(t, 1)
local m = table.move(t, 1, 3, 2)
local u = {}
for i = 1, 1000 do u[i] = i end
for i = 1, 1000, 2 do u[i] = nil end
local c = 0 for k, v in pairs(u) do c = c + 1 end
local nxt = next({})
return #t, t[1], t[0], t[2^53], c, #u >= 0, nxt, table.concat({1, 2.5, "x"}, "-"), pcall(table.concat, {{}}), pcall(rawset, {}, nil, 1), pcall(rawset, {}, 0/0, 1), table.unpack({1, 2, 3}, -1, 1)
