local s = "hello world from (Lua) 5.5 x=1, y=22"
local out = {}
for k, v in s:gmatch("(%w+)=(%w+)") do out[#out + 1] = k .. v end
return s:find("(o)(r)"), s:match("%b()"), s:gsub("%w+", "%0%0", 3), s:gsub("", "-"), ("abc"):rep(3, ","), s:find("%f[%a]%a+", 5), s:match("^(%s*)$"), ("x"):rep(0), s:gsub("(l)(l)", {ll = 1}), s:gsub(".", function(c) return nil end), table.concat(out, ";"), pcall(string.rep, "x", -1), pcall(string.find, s, "[a"), pcall(string.gsub, s, "(", "")
