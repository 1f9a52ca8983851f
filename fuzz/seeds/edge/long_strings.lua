local a = [==[
line1
]]
]==]
local b = "\z
    abc\
def"
local c = --[[ comment ]] 1
--[==[ long
comment ]==]
return a, b, c, #[[]], 0x.1p4, 0xA.8p0, 1e+2, .5, 3., 0xffffffffffffffffff, 08
