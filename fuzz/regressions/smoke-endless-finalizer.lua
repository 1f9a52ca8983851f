-- Smoke entry: the replay itself works (not a crash).
local t = setmetatable({}, {__gc = function() while true do end end})
t = nil
collectgarbage()
while true do end
