local a, b, c = 1, 2, 3
local function f()
  local function g()
    local function h()
      return a + b + c
    end
    return h, a
  end
  return g, b
end
local function set() a = 10; b = nil; c = "x" end
local t = {}
local function idx() t.x = 1; t[a] = b; return t.y, t[c] end
local function env() x = 1; return y end
local _ENV = {}
z = 1
local function env2() w = 2 end
