-- Binary trees: allocate and walk many short-lived trees (allocator and GC).
-- Usage: binary_trees.lua [maxdepth]; prints node counts.
local maxdepth = tonumber(arg and arg[1]) or 14
local mindepth = 4
if mindepth + 2 > maxdepth then maxdepth = mindepth + 2 end
local function make(d)
  if d == 0 then return {} end
  d = d - 1
  return {make(d), make(d)}
end
local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end
local out = {}
out[#out + 1] = string.format("stretch %d %d", maxdepth + 1, check(make(maxdepth + 1)))
local long_lived = make(maxdepth)
for d = mindepth, maxdepth, 2 do
  local iters = 2 ^ (maxdepth - d + mindepth)
  local c = 0
  for _ = 1, iters do c = c + check(make(d)) end
  out[#out + 1] = string.format("%d %d %d", iters, d, c)
end
out[#out + 1] = string.format("long %d %d", maxdepth, check(long_lived))
print(table.concat(out, "; "))
