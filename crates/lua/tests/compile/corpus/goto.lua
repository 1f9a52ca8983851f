local i = 1
::top::
i = i + 1
if i < 10 then goto top end
do
  goto skip
  local x = 1
  print(x)
  ::skip::
end
for j = 1, 3 do
  local f = function() return j end
  if j == 2 then goto next end
  print(f())
  ::next::
end
while true do
  local v = {}
  local g = function() return v end
  if g() then goto out end
end
::out::
do
  local a = 1
  local function h() return a end
  goto done
end
::done::
