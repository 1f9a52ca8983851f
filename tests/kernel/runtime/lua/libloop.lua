-- Library loops over counts the script controls, garbage made by library functions and
-- nested pcalls: the budget, the collector and the C-call limit must each bound them.
local cases = {
  move = function() table.move({}, 1, math.maxinteger, 1) end,
  insert = function()
    local t = setmetatable({}, {__len = function() return math.maxinteger - 1 end})
    table.insert(t, 1, "x")
  end,
  garbage = function()
    local t = {}
    for i = 1, 3e5 do t[i % 1000 + 1] = tostring(i) .. string.rep("x", 32) end
    return collectgarbage("count") < 1024
  end,
  pcalls = function()
    local function l() local ok, e = pcall(l) if not ok then error(e, 0) end end
    local ok, e = pcall(l)
    return e
  end,
}
return function(what) return cases[what]() end
