local function f(n) if n == 0 then error("bottom", 2) end return f(n - 1) end
local ok, e = pcall(f, 10)
local ok2, e2 = xpcall(function() error(setmetatable({}, {__tostring = function() return "x" end})) end, function(m) return tostring(m) end)
local ok3, e3 = pcall(error)
local ok4, e4 = pcall(error, nil)
local ok5, e5 = xpcall(error, error)
return ok, e, ok2, e2, ok3, e3, ok4, e4, ok5, select("#", pcall(pcall))
