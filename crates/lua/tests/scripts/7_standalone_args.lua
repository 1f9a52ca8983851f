-- §7 The standalone interpreter: the arg table and the script's varargs.
-- args: one two 3
--[[ expect:
3	one	two	3
7_standalone_args.lua
3	one	3
string
]]
print(#arg, arg[1], arg[2], arg[3])
print(arg[0])
print(select("#", ...), (...), select(3, ...))
print(type(select(3, ...)))
