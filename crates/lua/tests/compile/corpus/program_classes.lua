-- A small class system, a queue and a JSON-like serializer.
local Class = {}
Class.__index = Class

function Class.new(name, parent)
  local cls = setmetatable({name = name, parent = parent}, {__index = parent})
  cls.__index = cls
  return cls
end

function Class:instance(...)
  local obj = setmetatable({}, self)
  if obj.init then obj:init(...) end
  return obj
end

local Queue = Class.new("Queue")
function Queue:init() self.first, self.last, self.items = 1, 0, {} end
function Queue:push(v) self.last = self.last + 1; self.items[self.last] = v end
function Queue:pop()
  if self.first > self.last then return nil, "empty" end
  local v = self.items[self.first]
  self.items[self.first] = nil
  self.first = self.first + 1
  return v
end
function Queue:__len() return self.last - self.first + 1 end

local function serialize(v, indent, seen)
  indent = indent or ""
  seen = seen or {}
  local t = type(v)
  if t == "string" then
    return string.format("%q", v)
  elseif t == "number" or t == "boolean" or t == "nil" then
    return tostring(v)
  elseif t == "table" then
    if seen[v] then error("cycle") end
    seen[v] = true
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    local parts = {}
    for _, k in ipairs(keys) do
      parts[#parts + 1] = indent .. "  [" .. serialize(k) .. "] = " .. serialize(v[k], indent .. "  ", seen)
    end
    seen[v] = nil
    return "{\n" .. table.concat(parts, ",\n") .. "\n" .. indent .. "}"
  end
  return "<" .. t .. ">"
end

local q = Queue:instance()
for i = 1, 5 do q:push(i * i) end
local total = 0
while #q > 0 do
  local v = q:pop()
  total = total + (v % 2 == 0 and v // 2 or v * 3 + 1)
end
print(serialize({total = total, list = {1, 2, {3, "x\n"}}, flag = not q.first}))
return Class, Queue, serialize
