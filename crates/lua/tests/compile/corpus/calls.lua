print()
print(1)
print(1, 2, 3)
print(f())
print(f(), g())
print((f()))
local a = f()
local b, c = f()
local d, e, g = f(), 1
f(f(f()))
f"str"
f{1, 2}
f.g.h(1)
f:g(2)
f[1](2)
return f(1)
