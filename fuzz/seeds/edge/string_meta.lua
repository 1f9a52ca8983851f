local mt = getmetatable("")
return ("abc"):len(), ("x"):upper(), #"\0\0", ("10") + 0, pcall(function() return ("x"):nosuch() end), mt.__index == string, pcall(setmetatable, "", {})
