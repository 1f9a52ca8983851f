-- Method calls through metatables: a class with __index, inheritance one level deep.
-- Usage: method.lua [n]; prints a checksum.
local n = tonumber(arg and arg[1]) or 2500000
local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point:add(o) self.x = self.x + o.x; self.y = self.y + o.y; return self end
function Point:norm1() return math.abs(self.x) + math.abs(self.y) end
local Point3 = setmetatable({}, {__index = Point})
Point3.__index = Point3
function Point3.new(x, y, z) local p = Point.new(x, y); p.z = z; return setmetatable(p, Point3) end
function Point3:norm1() return Point.norm1(self) + math.abs(self.z) end
local p = Point.new(0, 0)
local q = Point3.new(1, -1, 2)
local step = Point.new(1, 2)
local s = 0
for i = 1, n do
  p:add(step)
  if i % 2 == 0 then s = s + q:norm1() else s = s + p:norm1() % 7 end
end
print(string.format("%d %d %d", p.x, p.y, s))
