local log = {}
local function closer(name) return setmetatable({}, {__close = function(_, err) log[#log + 1] = name .. tostring(err) end}) end
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  local c <close> = nil
end
local ok, e = pcall(function() local x <close> = closer("x") error("boom") end)
local ok2 = pcall(function() local y <close> = 42 end)
local function gen() local z <close> = closer("z") return 1, 2 end
gen()
for k in function(s, c) if not c then return 1 end end, nil, nil, closer("for") do end
return table.concat(log, ","), ok, e, ok2
