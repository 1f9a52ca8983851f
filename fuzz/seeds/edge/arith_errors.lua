local r = {}
for _, f in ipairs{function() return {} + 1 end, function() return "a" + 1 end, function() return 1 < "2" end, function() return #5 end, function() return nil .. "x" end, function() return -{} end, function() return 1.5 | 0 end, function() return "1.5" | 0 end, function() return 2^63 | 0 end, function() return math.huge // 0 end, function() local a; a.b = 1 end, function() return undefinedfn() end, function() local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x end} do
  r[#r + 1] = select(2, pcall(f))
end
return table.unpack(r)
