local t = {}
for i = 1, 10 do t[i] = i end
for i = 10, 1, -1 do t[i] = i * 2 end
for i = 1.0, 2.0, 0.5 do print(i) end
for k, v in pairs(t) do print(k, v) end
for k in next, t do print(k) end
for a, b, c, d in ipairs(t) do print(a, b, c, d) end
local i = 0
while i < 10 do
  i = i + 1
  if i == 5 then break end
end
repeat
  i = i - 1
  local j = i
until j < 0
do
  local q = 1
  print(q)
end
if i then print(1) elseif t then print(2) elseif i > 2 then print(3) else print(4) end
for i = 1, 3 do
  for j = 1, 3 do
    if i == j then goto continue end
    print(i, j)
    ::continue::
  end
end
while true do
  if i > 100 then break end
  i = i + 1
end
repeat local x = i; if x then break end until false
