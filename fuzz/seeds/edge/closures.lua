local fs = {}
for i = 1, 5 do fs[i] = function() i = i + 1 return i end end
local function counter() local c = 0 return function() c = c + 1 return c end, function() return c end end
local inc, get = counter()
inc() inc()
local a = {}
do local x <const> = 10 a.f = function() return x end end
return fs[1](), fs[1](), fs[5](), get(), a.f(), debug.getupvalue(inc, 1), debug.setupvalue(inc, 1, 100), get()
