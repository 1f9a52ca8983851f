local mt = {}
mt.__index = function(t, k) return k .. "!" end
mt.__newindex = function(t, k, v) rawset(t, k, v * 2) end
mt.__add = function(a, b) return 42 end
mt.__eq = function() return true end
mt.__lt = function() return true end
mt.__le = function() return false end
mt.__call = function(self, ...) return select("#", ...) end
mt.__concat = function(a, b) return "cat" end
mt.__len = function() return -1 end
mt.__unm = function() return "neg" end
mt.__close = function() end
mt.__tostring = function() return "obj" end
mt.__name = "Thing"
local a, b = setmetatable({}, mt), setmetatable({}, mt)
a.x = 2
return a.y, a.x, a + 1, 1 + a, a == b, a < b, a <= b, a(1, 2, nil), a .. "s", #a, -a, tostring(a), rawequal(a, b), rawlen(a)
