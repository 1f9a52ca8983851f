-- §2.4 Metatables and metamethods: every event. __le is only tested with an
-- explicit __le (Debian's 5.4 falls back to `not __lt`, 5.5 does not; see
-- 5.5_le_no_fallback.lua). __close is in 3.3.8_tbc.lua, __gc and __mode in 2.5_gc.lua.

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

-- getmetatable / setmetatable / __metatable
do
  local t, mt = {}, {}
  assert(getmetatable(t) == nil, "new tables have no metatable")
  assert(setmetatable(t, mt) == t, "setmetatable returns its first argument")
  assert(getmetatable(t) == mt, "getmetatable returns the metatable")
  assert(setmetatable(t, nil) == t and getmetatable(t) == nil, "removing the metatable")
  local prot = setmetatable({}, {__metatable = "locked"})
  assert(getmetatable(prot) == "locked", "__metatable field is returned by getmetatable")
  err(function() setmetatable(prot, {}) end, "cannot change a protected metatable", "protected metatable")
  local prot_false = setmetatable({}, {__metatable = false})
  assert(getmetatable(prot_false) == false, "__metatable may be false")
  err(function() setmetatable(prot_false, nil) end, "cannot change a protected metatable", "protected by false")
  assert(getmetatable("abc").__index == string, "strings share a metatable whose __index is string")
  assert(getmetatable(1) == nil and getmetatable(print) == nil and getmetatable(nil) == nil, "other types have none by default")
  err(function() setmetatable(1, {}) end, "bad argument #1 to 'setmetatable' (table expected, got number)", "setmetatable on a number")
  err(function() setmetatable({}, 1) end, "bad argument #2 to 'setmetatable' (nil or table expected, got number)", "bad metatable type")
end

-- __index: tables, functions, chains; only for absent keys.
do
  local base = {a = 1, shared = "base"}
  local mid = setmetatable({b = 2}, {__index = base})
  local obj = setmetatable({c = 3}, {__index = mid})
  assert(obj.a == 1 and obj.b == 2 and obj.c == 3, "chained __index tables")
  assert(obj.missing == nil, "missing everywhere is nil")
  assert(rawget(obj, "a") == nil, "rawget ignores __index")
  local calls = {}
  local f = setmetatable({present = false}, {__index = function(t, k) calls[#calls + 1] = k; return k .. "!" end})
  assert(f.x == "x!" and f[1] == "1!", "__index function gets the key")
  assert(f.present == false and #calls == 2, "__index not called for present keys (even false)")
  local got_t
  local g = setmetatable({}, {__index = function(t, k) got_t = t; return nil end})
  local _ = g.z
  assert(got_t == g, "__index function gets the original table")
  local r = setmetatable({}, {__index = function() return 1, 2, 3 end})
  assert(select("#", r.k) == 1, "__index result truncated to one value")
  -- __index on a non-table value through a userdata-like chain
  local str_idx = setmetatable({}, {__index = "abc"})
  assert(str_idx.len == string.len, "__index may be a string (indexed through its metatable)")
  -- loops are detected
  local loop1, loop2 = {}, {}
  setmetatable(loop1, {__index = loop2})
  setmetatable(loop2, {__index = loop1})
  err(function() return loop1.x end, "'__index' chain too long; possible loop", "__index loop")
  -- __index is looked up raw in the metatable
  local meta = setmetatable({}, {__index = function() error("metatable's own __index used") end})
  local plain = setmetatable({}, meta)
  assert(plain.x == nil, "absent __index field is not looked up through the metatable's metatable")
end

-- __newindex: tables, functions, only for absent keys; rawset bypasses.
do
  local store = {}
  local proxy = setmetatable({}, {__newindex = store})
  proxy.a = 1
  assert(rawget(proxy, "a") == nil and store.a == 1, "__newindex table receives the assignment")
  local log = {}
  local obs = setmetatable({existing = 1}, {__newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v); rawset(t, k, v) end})
  obs.new = 2
  obs.existing = 10
  obs.new = 3
  assert(#log == 1 and log[1] == "new=2", "__newindex only for absent keys")
  assert(obs.existing == 10 and obs.new == 3, "present keys assigned directly")
  rawset(proxy, "raw", true)
  assert(rawget(proxy, "raw") == true and store.raw == nil, "rawset bypasses __newindex")
  -- chain of __newindex tables
  local final = {}
  local middle = setmetatable({}, {__newindex = final})
  local front = setmetatable({}, {__newindex = middle})
  front.k = "v"
  assert(final.k == "v" and rawget(middle, "k") == nil, "__newindex chain")
  local ro = setmetatable({}, {__newindex = function(t, k) error("read-only table: " .. k, 2) end})
  local ok, msg = pcall(function() ro.x = 1 end)
  assert(not ok and msg:find("read%-only table: x$"), "__newindex can forbid writes")
  local l1, l2 = {}, {}
  setmetatable(l1, {__newindex = l2})
  setmetatable(l2, {__newindex = l1})
  err(function() l1.x = 1 end, "'__newindex' chain too long; possible loop", "__newindex loop")
  -- assignment with a nil value to an absent key still goes through __newindex
  local seen
  local nn = setmetatable({}, {__newindex = function(t, k, v) seen = {k, v} end})
  nn.q = nil
  assert(seen and seen[1] == "q" and seen[2] == nil, "__newindex called for nil values")
end

-- __call
do
  local callable = setmetatable({}, {__call = function(self, a, b) return self, a, b end})
  local s, a, b = callable(1, 2)
  assert(s == callable and a == 1 and b == 2, "__call gets the object then the arguments")
  local multi = setmetatable({}, {__call = function() return 1, 2, 3 end})
  assert(select("#", multi()) == 3, "__call results are not truncated")
  local obj = {m = callable}
  local s2, a2 = obj:m(5)
  assert(s2 == callable and a2 == obj, "method call on a callable field")
  assert(pcall(callable) == true, "pcall of a callable table")
  err(function() local t = setmetatable({}, {}) t() end, "attempt to call a table value (local 't')", "table without __call")
  local cnt = 0
  local counter = setmetatable({}, {__call = function(self) cnt = cnt + 1 end})
  for _ = 1, 10 do counter() end
  assert(cnt == 10, "repeated __call")
end

-- Arithmetic and bitwise metamethods.
do
  local events = {
    {"__add", function(a, b) return a + b end}, {"__sub", function(a, b) return a - b end},
    {"__mul", function(a, b) return a * b end}, {"__div", function(a, b) return a / b end},
    {"__mod", function(a, b) return a % b end}, {"__pow", function(a, b) return a ^ b end},
    {"__idiv", function(a, b) return a // b end}, {"__band", function(a, b) return a & b end},
    {"__bor", function(a, b) return a | b end}, {"__bxor", function(a, b) return a ~ b end},
    {"__shl", function(a, b) return a << b end}, {"__shr", function(a, b) return a >> b end},
    {"__concat", function(a, b) return a .. b end},
  }
  for _, ev in ipairs(events) do
    local name, op = ev[1], ev[2]
    local log = {}
    local mt = {[name] = function(a, b) log[#log + 1] = {a, b}; return name end}
    local x = setmetatable({}, mt)
    assert(op(x, 2) == name, name .. ": object on the left")
    assert(log[1][1] == x and log[1][2] == 2, name .. ": operands in order (left)")
    assert(op(3, x) == name, name .. ": object on the right")
    assert(log[2][1] == 3 and log[2][2] == x, name .. ": operands in order (right)")
    local y = setmetatable({}, {[name] = function() return "second" end})
    assert(op(x, y) == name, name .. ": the first operand's metamethod wins")
    assert(op({}, y) == "second", name .. ": the second operand's metamethod is used when the first has none")
    local ok = pcall(op, {}, {})
    assert(not ok, name .. ": no metamethod is an error")
  end
  -- unary events
  local u = setmetatable({}, {
    __unm = function(a, b) return "unm", a, b end,
    __bnot = function(a, b) return "bnot", a, b end,
    __len = function(a) return "len" end,
  })
  assert(-u == "unm" and ~u == "bnot" and #u == "len", "unary metamethods")
  local got_a
  local v = setmetatable({}, {__unm = function(a) got_a = a; return 0 end})
  local _ = -v
  assert(got_a == v, "__unm receives the operand")
  -- numbers that cannot be converted still try the metamethod first
  local bits = setmetatable({}, {__bor = function(a, b) return "bor" end, __shl = function() return "shl" end})
  assert((1.5 | bits) == "bor" and (bits | 1.5) == "bor", "bitwise metamethod with a non-integral float")
  assert((2 ^ 63 << bits) == "shl", "shift metamethod with a huge float")
  -- strings with arithmetic fall back to the other operand's metamethod
  local s_mt = setmetatable({}, {__add = function(a, b) return "table add" end})
  assert(("abc" + s_mt) == "table add", "non-numeric string + object uses the object's __add")
  assert(("10" + s_mt) == "table add", "numeric string + object uses the object's __add")
  -- results are not converted
  local anyres = setmetatable({}, {__add = function() return nil end, __mul = function() return {} end})
  assert(anyres + 1 == nil and type(anyres * 1) == "table", "arithmetic metamethod results are returned as is")
end

-- __concat details
do
  local c = setmetatable({}, {__concat = function(a, b)
    local sa = type(a) == "table" and "T" or a
    local sb = type(b) == "table" and "T" or b
    return sa .. sb
  end})
  assert(c .. "x" == "Tx" and "x" .. c == "xT", "__concat on either side")
  assert("a" .. "b" .. c == "abT", "right associative chain")
  assert(c .. "a" .. "b" == "Tab", "chain starting with the object")
  assert(1 .. c == "1T", "number with object")
  local n = setmetatable({}, {__concat = function() return 42 end})
  assert(("x" .. n) == 42, "__concat result not converted")
  err(function() return "a" .. setmetatable({}, {}) end, "attempt to concatenate a table value", "no __concat")
end

-- __eq: only for two tables (or two userdata), not raw-equal; result is a boolean.
do
  local calls = 0
  local mt = {__eq = function(a, b) calls = calls + 1; return a.v == b.v end}
  local a, b, c = setmetatable({v = 1}, mt), setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
  assert(a == b and not (a ~= b), "__eq true")
  assert(a ~= c and not (a == c), "__eq false")
  assert(calls == 4, "__eq called for == and ~=")
  calls = 0
  assert(a == a and calls == 0, "raw-equal values do not call __eq")
  assert(a ~= 1 and a ~= "x" and calls == 0, "different types do not call __eq")
  local plain = {v = 1}
  assert(a == plain and calls == 1, "__eq of the first operand even if the second has no metatable")
  assert(plain == a and calls == 2, "__eq of the second operand")
  local truthy = setmetatable({}, {__eq = function() return 1 end})
  local other = setmetatable({}, {__eq = function() return 1 end})
  local r = (truthy == other)
  assert(r == true, "__eq result converted to true")
  local falsy = setmetatable({}, {__eq = function() return nil end})
  r = (falsy == other)
  assert(r == false, "__eq result converted to false")
  assert(rawequal(a, b) == false, "rawequal ignores __eq")
end

-- __lt and __le: result converted to boolean; > and >= swap the operands.
do
  local log = {}
  local mt = {
    __lt = function(a, b) log[#log + 1] = "lt"; return a.v < b.v end,
    __le = function(a, b) log[#log + 1] = "le"; return a.v <= b.v end,
  }
  local one, two = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
  assert(one < two and not (two < one), "__lt")
  assert(one <= two and one <= setmetatable({v = 1}, mt) and not (two <= one), "__le")
  assert(two > one and two >= one, "> and >= use the swapped metamethods")
  local swapped
  local smt = {__lt = function(a, b) swapped = {a, b}; return true end}
  local p, q = setmetatable({}, smt), setmetatable({}, smt)
  local _ = p > q
  assert(swapped[1] == q and swapped[2] == p, "a > b is b < a")
  local num = setmetatable({}, {__lt = function(a, b) return "yes" end, __le = function() return nil end})
  assert((num < 1) == true and (1 < num) == true, "__lt with a number operand, result converted")
  assert((num <= 1) == false, "__le result converted to false")
  assert(("a" < setmetatable({}, {__lt = function() return true end})) == true, "string with object")
  err(function() return {} < setmetatable({}, {}) end, "attempt to compare two table values", "no __lt")
end

-- __len
do
  local t = setmetatable({1, 2}, {__len = function(self) return rawlen(self) * 10 end})
  assert(#t == 20, "__len result")
  assert(rawlen(t) == 2, "rawlen ignores __len")
end

-- __tostring and __name
do
  local t = setmetatable({}, {__tostring = function(self) return "custom!" end})
  assert(tostring(t) == "custom!", "__tostring")
  local named = setmetatable({}, {__name = "MyType"})
  assert(tostring(named):match("^MyType: "), "__name prefixes the default tostring")
  local bad = setmetatable({}, {__tostring = function() return {} end})
  err(function() return tostring(bad) end, "'__tostring' must return a string", "__tostring returning a table")
  local badname = setmetatable({}, {__name = 42})
  assert(tostring(badname):match("^table: "), "non-string __name is ignored")
  err(function() return ("x"):rep(named) end, "bad argument #1 to 'rep' (number expected, got MyType)", "__name in argument errors")
end

-- __index/__newindex on the string metatable and indexing non-tables.
do
  local smt = getmetatable("")
  assert(("abc"):upper() == "ABC", "string methods via __index")
  err(function() local s = "x"; s.y = 1 end, "attempt to index a string value (local 's')", "assignment into a string")
  err(function() local n = 1; return n.x end, "attempt to index a number value (local 'n')", "index a number")
  assert(smt.__index == string, "string metatable __index is the string table")
end

-- Metamethods are looked up raw and at the time of the operation.
do
  local mt = {}
  local t = setmetatable({}, mt)
  assert(not pcall(function() return t + 1 end), "no __add yet")
  mt.__add = function() return "late" end
  assert(t + 1 == "late", "metamethod added after setmetatable is seen")
  mt.__add = nil
  assert(not pcall(function() return t + 1 end), "metamethod removed")
  local proxy_mt = setmetatable({}, {__index = function(_, k) if k == "__add" then return function() return "inherited" end end end})
  local p = setmetatable({}, proxy_mt)
  assert(not pcall(function() return p + 1 end), "metamethods are read with rawget")
end
