local keep = {}
for i = 1, 3000 do
  local t = {i, tostring(i), function() return i end}
  if i % 7 == 0 then keep[#keep + 1] = t end
  local s = ("x"):rep(i % 50) .. i
end
local co = {}
for i = 1, 50 do co[i] = coroutine.create(function(a) local z = {a} coroutine.yield(z) return #z end) coroutine.resume(co[i], i) end
collectgarbage()
local n = 0
for i = 1, 50 do local ok, v = coroutine.resume(co[i]) n = n + v end
return #keep, keep[1][3](), n
