-- lua5.5-only
-- Lua 5.5: a chain of __call metamethods can have at most 15 objects.

local function chain(n)
  local obj = function(...) return "end", select("#", ...) end
  for _ = 1, n do obj = setmetatable({}, {__call = obj}) end
  return obj
end
local tag, nargs = chain(1)()
assert(tag == "end" and nargs == 1, "one __call level passes the object")
tag, nargs = chain(5)("a")
assert(tag == "end" and nargs == 6, "each level prepends its object")
local ok = pcall(chain(10))
assert(ok, "a chain of 11 objects is allowed")
local ok2, msg = pcall(chain(40))
assert(not ok2 and type(msg) == "string", "a chain of 41 objects is an error")
