local env = {x = 1}
local f = load("x = x + 1 return x", "chunk", "t", env)
local g, err = load("return +", "=bad")
local h = load(function() return nil end)
local parts = {"return ", "1 ", "+ 2"}
local i = 0
local k = load(function() i = i + 1 return parts[i] end)
return f(), env.x, g, err, h, k(), pcall(load, "\27Lua"), load("return ...", "v")(1, 2), select("#", load("return")())
