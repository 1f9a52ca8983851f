global x = 1
global function gf() return x end
do
  local y = gf()
end
return x
