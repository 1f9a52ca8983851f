-- §3.4.10 Function calls: argument forms, method calls, adjustment of results
-- (§3.4.12), proper tail calls, call errors and stack overflow.

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

-- Argument sugar: f{...}, f"...", f[[...]].
do
  local function id(...) return ... end
  assert(type(id{1, 2}) == "table" and id{1, 2}[2] == 2, "table argument")
  assert(id"str" == "str" and id'single' == "single", "string argument")
  assert(id[[long]] == "long" and id[==[lo]]ng]==] == "lo]]ng", "long string argument")
  assert(select("#", id"x") == 1, "exactly one argument")
  local t = {f = function(self, x) return self, x end}
  local s, x = t:f"arg"
  assert(s == t and x == "arg", "method call with a string argument")
  s, x = t:f{1}
  assert(s == t and x[1] == 1, "method call with a table argument")
  assert(("%d"):format(5) == "5", "method call on a parenthesised string")
  assert(#string.format("%5s", "x") == 5, "library call")
end

-- Method calls evaluate the object once and pass it as the first argument.
do
  local evals = 0
  local obj = {n = 10}
  function obj:get(d) return self.n + (d or 0) end
  function obj.static(a) return a end
  local function getobj() evals = evals + 1; return obj end
  assert(getobj():get(5) == 15 and evals == 1, "object expression evaluated once")
  assert(obj.get(obj) == 10, "explicit self")
  assert(obj.get({n = 1}) == 1, "self can be any value")
  assert(obj:static() == obj, "a:f() passes a as first argument")
  err(function() obj:missing() end, "attempt to call a nil value (method 'missing')", "missing method")
  err(function() local n; n:m() end, "attempt to index a nil value (local 'n')", "method on nil")
end

-- Adjustment of results (§3.4.12).
do
  local function r(...) return ... end
  local function three() return 1, 2, 3 end
  local function count(...) return select("#", ...) end
  assert(count(three()) == 3, "last argument expands")
  assert(count(three(), three()) == 4, "middle argument truncated")
  assert(count((three())) == 1, "parentheses truncate")
  assert(count(three(), nil) == 2, "explicit nil after truncated call")
  assert(count(r()) == 0, "empty expansion")
  assert(count(nil, r()) == 1, "nil followed by empty expansion")
  assert(count(r(nil, nil, nil)) == 3, "trailing nils are kept")
  local a, b, c, d = three()
  assert(a == 1 and c == 3 and d == nil, "assignment adjusts")
  local t = {three(), three()}
  assert(#t == 4, "constructor adjustment")
  assert(select(2, three()) == 2, "select with call")
  local function ret_call() return three() end
  assert(count(ret_call()) == 3, "return f() returns all results")
  local function ret_paren() return (three()) end
  assert(count(ret_paren()) == 1, "return (f()) returns one result")
  local function ret_list() return three(), three() end
  assert(count(ret_list()) == 4, "return list with a call in the middle")
  assert(count(ret_list(), 1) == 2, "nested adjustment")
  local x, y = (r(1, 2))
  assert(x == 1 and y == nil, "parenthesised vararg call")
  -- many results
  local big = {}
  for i = 1, 250 do big[i] = i end
  assert(count(table.unpack(big)) == 250, "250 results")
  assert(select(250, table.unpack(big)) == 250, "select the 250th")
  local function sum(...)
    local s = 0
    for i = 1, select("#", ...) do s = s + select(i, ...) end
    return s
  end
  assert(sum(table.unpack(big)) == 250 * 251 // 2, "sum of 250 arguments")
end

-- Proper tail calls do not grow the stack.
do
  local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + 1) end
  assert(loop(1000000, 0) == 1000000, "a million tail calls")
  local even, odd
  function even(n) if n == 0 then return true end return odd(n - 1) end
  function odd(n) if n == 0 then return false end return even(n - 1) end
  assert(even(300001) == false and odd(300001) == true, "mutual tail recursion")
  local obj = {n = 0}
  function obj:count(k) if k == 0 then return self.n end self.n = self.n + 1 return self:count(k - 1) end
  assert(obj:count(200000) == 200000, "tail method calls")
  local function tail_native(n) if n == 0 then return select("#") end return tail_native(n - 1) end
  assert(tail_native(100000) == 0, "tail call ending in a native function")
  -- a tail call through __call
  local callable = setmetatable({}, {__call = function(self, n) return n * 2 end})
  local function via(n) return callable(n) end
  assert(via(21) == 42, "tail call to a callable table")
end

-- Deep non-tail recursion ends with a catchable stack overflow.
do
  local depth = 0
  local function deep() depth = depth + 1; return 1 + deep() end
  local ok, msg = pcall(deep)
  assert(not ok and tostring(msg):find("stack overflow", 1, true), "stack overflow is an error: " .. tostring(msg))
  assert(depth > 1000, "recursion went reasonably deep before overflowing")
  -- the state is usable after the overflow
  local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
  assert(fact(20) == 2432902008176640000, "recursion works after a stack overflow")
  local ok2 = pcall(string.rep, "x", 10)
  assert(ok2, "native calls work after a stack overflow")
end

-- Calling non-functions.
do
  err(function() local x = 1; x() end, "attempt to call a number value (local 'x')", "call a number")
  err(function() undefined_fn() end, "attempt to call a nil value (global 'undefined_fn')", "call a nil global")
  err(function() local t = {}; t.f() end, "attempt to call a nil value (field 'f')", "call a nil field")
  err(function() local t = {f = {}}; t.f() end, "attempt to call a table value (field 'f')", "call a table field")
  err(function() ("x")() end, "attempt to call a string value (constant 'x')", "call a string constant")
  err(function() local up = true; (function() up() end)() end, "attempt to call a boolean value (upvalue 'up')", "call an upvalue")
  err(function() string.nope() end, "attempt to call a nil value (field 'nope')", "call a missing library function")
end

-- Adjustment matrix: a call returning k values used in every position.
do
  local function gen(k)
    local t = {}
    for i = 1, k do t[i] = i end
    return table.unpack(t, 1, k)
  end
  local function count(...) return select("#", ...) end
  for k = 0, 8 do
    assert(count(gen(k)) == k, "last argument, k = " .. k)
    assert(count(gen(k), "x") == 2, "middle argument, k = " .. k)
    assert(count((gen(k))) == 1, "parenthesised, k = " .. k)
    assert(#{gen(k)} == k, "constructor, k = " .. k)
    assert(#{gen(k), gen(k)} == (k == 0 and 0 or 1 + k), "constructor with two calls, k = " .. k)
    local a, b, c = gen(k)
    assert(a == (k >= 1 and 1 or nil) and b == (k >= 2 and 2 or nil) and c == (k >= 3 and 3 or nil), "assignment, k = " .. k)
    local function ret() return gen(k) end
    assert(count(ret()) == k, "returned call, k = " .. k)
    local function ret2() return 0, gen(k) end
    assert(count(ret2()) == k + 1, "returned list ending in a call, k = " .. k)
  end
end
