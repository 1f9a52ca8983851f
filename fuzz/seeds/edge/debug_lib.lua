local function f(a, b) local c = a + b return debug.getinfo(1, "nSlu"), debug.getlocal(1, 1), debug.traceback("msg", 1) end
local info = f(1, 2)
local n = 0
debug.sethook(function() n = n + 1 end, "l")
for i = 1, 10 do end
debug.sethook()
return info.currentline, info.short_src, info.what, n > 0, debug.gethook(), debug.getinfo(print).what, pcall(debug.getlocal, 100, 1), debug.getmetatable("").__index == string
