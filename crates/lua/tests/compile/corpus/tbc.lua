local function f()
  local a <close> = setmetatable({}, {__close = print})
  local b = 1
  return b
end
local function g()
  do
    local c <close> = nil
    print(c)
  end
  return 1
end
local function h()
  local d <close> = nil
  return h()
end
for k, v in pairs({}) do print(k) end
