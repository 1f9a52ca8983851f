-- lua5.5-only
-- Lua 5.5: control variables of numeric and generic for loops are read-only.

local function compile_error(src)
  local f, msg = load(src, "=src")
  assert(f == nil, "expected a compile error for: " .. src)
  return msg
end

assert(compile_error("for i = 1, 3 do i = i + 1 end") == "src:1: attempt to assign to const variable 'i'", "numeric for")
-- Only the control variable (the first one) is read-only (manual §3.3.5, §8.1).
assert(load("for k, v in pairs({}) do v = 1 end", "=src"), "second generic variable stays writable")
assert(compile_error("for k in pairs({}) do k = 1 end") == "src:1: attempt to assign to const variable 'k'", "first generic variable")
assert(compile_error("for i = 1, 3 do local f = function() i = 0 end end") == "src:1: attempt to assign to const variable 'i'", "through an upvalue")
assert(compile_error("for i = 1, 3 do\n\n  i = 2\nend") == "src:3: attempt to assign to const variable 'i'", "error line")
-- the manual's advice: shadow the variable with a local
local sum = 0
for i = 1, 3 do local i = i * 2; i = i + 1; sum = sum + i end
assert(sum == 15, "a shadowing local is writable")
-- reading and capturing still work
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
assert(fs[1]() == 1 and fs[3]() == 3, "captured control variables")
