local s = string.rep("(", 150) .. "1" .. string.rep(")", 150)
local ok = load("return " .. s)
local t = "return " .. string.rep("{", 100) .. string.rep("}", 100)
local f = load(t)
local function rec(n) if n == 0 then return 0 end return rec(n - 1) + 1 end
local ok2, e2 = pcall(rec, 1e6)
local function tail(n) if n == 0 then return "done" end return tail(n - 1) end
return ok ~= nil, f ~= nil, ok2, tail(100000), pcall(string.rep, "x", 1e9)
