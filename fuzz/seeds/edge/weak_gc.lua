local wk = setmetatable({}, {__mode = "k"})
local wv = setmetatable({}, {__mode = "v"})
local ek = setmetatable({}, {__mode = "k"})
do local k = {} wk[k] = 1 wv[1] = {} ek[k] = {k} end
local keep = {}
wk[keep] = true
local fin = 0
for i = 1, 10 do setmetatable({}, {__gc = function(o) fin = fin + 1 end}) end
local res = setmetatable({}, {__gc = function(o) _G.resurrected = o end})
res = nil
collectgarbage() collectgarbage()
local n = 0 for _ in pairs(wk) do n = n + 1 end
collectgarbage("step") collectgarbage("count") collectgarbage("incremental") collectgarbage("generational") collectgarbage("incremental")
return n, wv[1], fin, _G.resurrected ~= nil, collectgarbage("isrunning")
