-- §3.4.9 Table constructors and §3.2/§2.1 table indexing rules: key kinds,
-- positional fields, trailing multi-results, nil and NaN keys.

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

-- Field forms.
do
  local k = "key"
  local t = {[k] = 1, name = 2, 3, [1 + 1] = 4, 5, ["with space"] = 6, [true] = 7, [1.5] = 8}
  assert(t.key == 1 and t.name == 2, "[exp]=exp and name=exp")
  assert(t[1] == 3 and t[2] == 5, "positional fields count from 1 and override [2]=")
  assert(t["with space"] == 6 and t[true] == 7 and t[1.5] == 8, "arbitrary keys")
  local u = {[1] = "explicit", "positional"}
  assert(u[1] == "positional", "positional field assigned after the explicit one")
  local v = {"positional", [1] = "explicit"}
  assert(v[1] == "positional" or v[1] == "explicit", "order of assignment is unspecified but one wins")
  local w = {1, 2, 3; 4; 5,}
  assert(#w == 5 and w[5] == 5, "mixed separators and a trailing separator")
  local e = {}
  assert(next(e) == nil, "empty constructor")
  local nested = {{1, {2, {3}}}, a = {b = {c = "deep"}}}
  assert(nested[1][2][2][1] == 3 and nested.a.b.c == "deep", "nested constructors")
end

-- Multi-results: only the last positional field expands.
do
  local function three() return "a", "b", "c" end
  local function none() end
  local t = {three()}
  assert(#t == 3 and t[3] == "c", "last call expands")
  t = {three(), three()}
  assert(#t == 4 and t[1] == "a" and t[2] == "a" and t[4] == "c", "non-last call truncated")
  t = {(three())}
  assert(#t == 1, "parenthesised call truncated")
  t = {three(), x = 1}
  assert(t[1] == "a" and t[2] == nil and t.x == 1, "call followed by a named field is truncated")
  t = {none()}
  assert(next(t) == nil, "call with no results adds nothing")
  t = {none(), 1}
  assert(t[1] == nil and t[2] == 1, "empty call in the middle gives nil")
  local function va(...) return {...} end
  t = va(1, nil, 3, nil)
  assert(t[1] == 1 and t[3] == 3 and t[4] == nil, "vararg with nils")
  local function va2(...) return {..., "last"} end
  t = va2(1, 2, 3)
  assert(t[1] == 1 and t[2] == "last" and t[3] == nil, "vararg not last is truncated")
  local many = {}
  for i = 1, 300 do many[i] = i end
  t = {table.unpack(many)}
  assert(#t == 300 and t[300] == 300, "300 values from a call")
  t = {0, table.unpack(many)}
  assert(#t == 301 and t[301] == 300, "expansion after a positional field")
end

-- Large constructors (more than one SETLIST batch).
do
  local src = {"return {"}
  for i = 1, 1000 do src[#src + 1] = i .. "," end
  src[#src + 1] = "}"
  local t = assert(load(table.concat(src)))()
  assert(#t == 1000, "1000 positional fields")
  for i = 1, 1000 do assert(t[i] == i, "field " .. i) end
  local hsrc = {"return {"}
  for i = 1, 500 do hsrc[#hsrc + 1] = "k" .. i .. " = " .. i .. "," end
  hsrc[#hsrc + 1] = "}"
  local h = assert(load(table.concat(hsrc)))()
  local n = 0
  for k, v in pairs(h) do n = n + 1; assert(h["k" .. v] == v, "hash field " .. k) end
  assert(n == 500, "500 named fields")
end

-- Keys: nil and NaN are rejected; other values are valid keys.
do
  err(function() local t = {}; t[nil] = 1 end, "table index is nil", "assign with nil key")
  err(function() local t = {}; t[0 / 0] = 1 end, "table index is NaN", "assign with NaN key")
  err(function() return {[nil] = 1} end, "table index is nil", "constructor with nil key")
  err(function() return {[0 / 0] = 1} end, "table index is NaN", "constructor with NaN key")
  local t = {}
  assert(t[nil] == nil and t[0 / 0] == nil, "reading nil and NaN keys gives nil")
  local f, co, tab = print, coroutine.create(print), {}
  t[f] = "function"; t[co] = "thread"; t[tab] = "table"; t[false] = "false"; t[-1] = "neg"; t[0] = "zero"
  assert(t[f] == "function" and t[co] == "thread" and t[tab] == "table", "reference keys")
  assert(t[false] == "false" and t[-1] == "neg" and t[0] == "zero", "value keys")
  t[tab] = nil
  assert(t[tab] == nil, "removal by assigning nil")
  t[math.huge] = "inf"; t[-math.huge] = "-inf"
  assert(t[math.huge] == "inf" and t[1 / 0] == "inf" and t[-math.huge] == "-inf", "infinite keys")
  t[math.mininteger] = "min"; t[math.maxinteger] = "max"
  assert(t[math.mininteger] == "min" and t[math.maxinteger] == "max", "extreme integer keys")
  assert(t[-2 ^ 63] == "min", "float key -2^63 finds the integer key")
  t["1"] = "string one"; t[1] = "integer one"
  assert(t["1"] == "string one" and t[1] == "integer one", "string and integer keys differ")
end

-- t.name is sugar for t["name"]; indexing evaluates left to right.
do
  local t = {x = 1}
  assert(t.x == t["x"], "dot sugar")
  local log = {}
  local function a() log[#log + 1] = "a"; return t end
  local function k() log[#log + 1] = "k"; return "x" end
  assert(a()[k()] == 1 and log[1] == "a" and log[2] == "k", "table expression before key expression")
  err(function() local n; return n.x end, "attempt to index a nil value (local 'n')", "index a nil local")
  err(function() local n = 5; return n.x end, "attempt to index a number value (local 'n')", "index a number")
  err(function() local n = true; n.x = 1 end, "attempt to index a boolean value (local 'n')", "assign into a boolean")
  err(function() return undefined_tab.x end, "attempt to index a nil value (global 'undefined_tab')", "index a nil global")
  err(function() local t = {}; return t.a.b.c end, "attempt to index a nil value (field 'a')", "nested nil field")
  err(function() local t = {a = {}}; return t.a.b.c end, "attempt to index a nil value (field 'b')", "second-level nil field")
  local up
  err(function() return up[1] end, "attempt to index a nil value (upvalue 'up')", "index a nil upvalue")
  -- strings are indexable through their metatable
  local s = "abc"
  assert(s.len == string.len and s:len() == 3, "strings index the string table")
  assert(s.nope == nil, "missing string method is nil")
  assert(("x").upper("y") == "Y", "string field access")
end

-- Integer keys in the array range and beyond behave the same.
do
  local t = {}
  for i = 1, 10 do t[i] = i * i end
  t[1000000] = "far"
  t[-5] = "neg"
  assert(t[10] == 100 and t[1000000] == "far" and t[-5] == "neg", "sparse integer keys")
  local count = 0
  for k, v in pairs(t) do count = count + 1 end
  assert(count == 12, "pairs sees array and hash parts")
  for i = 1, 10 do t[i] = nil end
  count = 0
  for _ in pairs(t) do count = count + 1 end
  assert(count == 2, "cleared array part")
  -- growing and shrinking repeatedly keeps values
  local g = {}
  for round = 1, 5 do
    for i = 1, 200 do g[i] = i + round end
    for i = 1, 200 do assert(g[i] == i + round, "round " .. round .. " value " .. i) end
    for i = 200, 1, -1 do g[i] = nil end
  end
  assert(next(g) == nil, "table is empty after shrinking")
end
