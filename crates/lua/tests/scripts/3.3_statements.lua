-- §3.3 Statements: blocks, chunks, assignment, control structures, numeric and
-- generic for, goto/labels, break, return. Loop control variables are never
-- assigned here (read-only in 5.5; see 5.5_readonly_for.lua).

local function compile_error(src)
  local f, msg = load(src, "=src")
  assert(f == nil, "expected a compile error for: " .. src)
  return msg
end

local function runtime_error(f, ...)
  local ok, msg = pcall(f, ...)
  assert(not ok, "expected a runtime error")
  return msg
end

-- §3.3.1 Blocks: empty statements, do/end scoping.
do
  ;;; local a = 1; ; ;
  assert(a == 1, "empty statements are allowed anywhere")
  local x = 1
  do local x = 2; assert(x == 2, "inner block shadows") end
  assert(x == 1, "block ends the inner scope")
  assert(load(";;return 1;")() == 1, "leading empty statements and ';' after return")
end

-- §3.3.2 Chunks are vararg functions.
do
  local f = load("return ...")
  assert(select("#", f()) == 0, "chunk called with no args")
  local a, b, c = f(1, nil, 3)
  assert(a == 1 and b == nil and c == 3, "chunk receives its arguments as varargs")
  assert(select("#", f(nil, nil)) == 2, "chunk keeps trailing nils")
  local g = load("local a, b = ...; return b, a")
  local p, q = g("x", "y")
  assert(p == "y" and q == "x", "chunk varargs into locals")
  assert(load("return select('#', ...)")(1, 2, 3, 4) == 4, "select on chunk varargs")
end

-- §3.3.3 Assignment: all expressions are evaluated before any assignment.
do
  local a, b = 1, 2
  a, b = b, a
  assert(a == 2 and b == 1, "swap")
  local x, y, z = 1, 2
  assert(z == nil, "missing values are nil")
  x, y = 10, 20, 30, (function() error("extra values are still evaluated?") end) and 40
  assert(x == 10 and y == 20, "extra values discarded")
  local evaluated = false
  local function side() evaluated = true; return 1 end
  local p = 1, side()
  assert(p == 1 and evaluated, "extra expressions are evaluated")
  local i = 3
  local t = {}
  i, t[i] = i + 1, 20
  assert(i == 4 and t[3] == 20 and t[4] == nil, "manual: t[i] uses i before the assignment")
  local u = {1, 2, 3}
  local j = 1
  j, u[j], u[j + 1] = 3, "a", "b"
  assert(j == 3 and u[1] == "a" and u[2] == "b" and u[3] == 3, "table indices evaluated before assigning")
  -- adjustment with calls
  local function three() return 1, 2, 3 end
  local c1, c2, c3, c4 = three()
  assert(c1 == 1 and c2 == 2 and c3 == 3 and c4 == nil, "last call expands")
  local d1, d2, d3 = three(), 10
  assert(d1 == 1 and d2 == 10 and d3 == nil, "non-last call truncated to one value")
  local e1, e2 = (three())
  assert(e1 == 1 and e2 == nil, "parenthesised call gives one value")
  local function none() end
  local n1, n2 = none(), 5
  assert(n1 == nil and n2 == 5, "call with no results in the middle gives nil")
  -- assignment to globals and fields through _ENV
  Global_x = 5
  assert(_ENV.Global_x == 5 and _G.Global_x == 5, "global assignment goes to _ENV")
  Global_x = nil
  assert(rawget(_G, "Global_x") == nil, "assigning nil removes the global")
  -- compound targets
  local tt = {a = {b = {}}}
  tt.a.b.c, tt["a"]["b"].d = 1, 2
  assert(tt.a.b.c == 1 and tt.a.b.d == 2, "nested field targets")
  -- assignment evaluates the table expression once
  local count = 0
  local function get() count = count + 1; return tt end
  get().z = 1
  assert(count == 1 and tt.z == 1, "prefix expression evaluated once")
  assert(compile_error("x, = 1") == "src:1: unexpected symbol near '='", "trailing comma in target list")
  assert(compile_error("1 = 2"):find("unexpected symbol", 1, true), "literal is not assignable")
  assert(compile_error("(a) = 2") == "src:1: syntax error near '='", "parenthesised name is not assignable")
  assert(compile_error("a.b() = 1") == "src:1: syntax error near '='", "call is not assignable")
end

-- §3.3.4 Control structures: if/elseif/else, while, repeat; truthiness.
do
  local function truthy(v) if v then return true else return false end end
  assert(truthy(0) and truthy("") and truthy({}) and truthy(0.0) and truthy(-0.0), "only nil and false are false")
  assert(not truthy(nil) and not truthy(false), "nil and false are false")
  local function classify(n)
    if n < 0 then return "neg" elseif n == 0 then return "zero" elseif n < 10 then return "small" else return "big" end
  end
  assert(classify(-1) == "neg" and classify(0) == "zero" and classify(5) == "small" and classify(50) == "big", "elseif chain")
  local i, s = 0, 0
  while i < 10 do i = i + 1; s = s + i end
  assert(s == 55, "while loop")
  while false do error("never") end
  local k = 0
  repeat k = k + 1 until k >= 3
  assert(k == 3, "repeat runs until the condition holds")
  local runs = 0
  repeat runs = runs + 1 until true
  assert(runs == 1, "repeat body runs at least once")
  -- the until condition sees locals declared in the body
  local n = 0
  repeat local done = n >= 2; n = n + 1 until done
  assert(n == 3, "until sees body locals")
  -- closures in repeat capture a fresh local each iteration
  local fs = {}
  local m = 0
  repeat local v = m; fs[#fs + 1] = function() return v end; m = m + 1 until v >= 2
  assert(fs[1]() == 0 and fs[2]() == 1 and fs[3]() == 2, "fresh local per repeat iteration")
  -- break exits the innermost loop
  local out = 0
  for a = 1, 3 do
    for b = 1, 3 do
      if b == 2 then break end
      out = out + 1
    end
  end
  assert(out == 3, "break leaves only the inner loop")
  local w = 0
  while true do w = w + 1; if w == 5 then break end end
  assert(w == 5, "break out of while true")
  repeat local z = 1; break until error("condition evaluated after break")
  assert(compile_error("break"):find("break outside", 1, true), "break outside a loop")
  assert(compile_error("do break end"):find("break outside", 1, true), "break in a plain block")
  assert(compile_error("for i=1,2 do local f = function() break end end"):find("break outside", 1, true), "break does not cross functions")
  assert(compile_error("return 1; x = 2"):find("<eof> expected", 1, true), "return must be last")
  assert(compile_error("do return 1 x = 2 end"):find("'end' expected", 1, true), "return must be last in a block")
  assert(load("do return end x = 2") ~= nil, "return as last statement of an inner block")
end

-- §3.3.5 Numeric for.
do
  local function collect(a, b, c)
    local r = {}
    if c == nil then
      for i = a, b do r[#r + 1] = i end
    else
      for i = a, b, c do r[#r + 1] = i end
    end
    return r
  end
  local function same(r, expect, what)
    assert(#r == #expect, what .. ": count " .. #r .. " ~= " .. #expect)
    for i = 1, #r do
      assert(r[i] == expect[i] and math.type(r[i]) == math.type(expect[i]), what .. ": item " .. i)
    end
  end
  same(collect(1, 3), {1, 2, 3}, "ascending")
  same(collect(3, 1), {}, "start above limit runs zero times")
  same(collect(3, 1, -1), {3, 2, 1}, "descending")
  same(collect(1, 1), {1}, "single iteration")
  same(collect(1, 10, 4), {1, 5, 9}, "step 4 stops before the limit")
  same(collect(10, 1, -4), {10, 6, 2}, "step -4")
  same(collect(1, 2.5), {1, 2}, "float limit with integer start floors the limit")
  same(collect(1, 2.9999), {1, 2}, "float limit floors")
  same(collect(3, 0.5, -1), {3, 2, 1}, "descending float limit ceils")
  same(collect(1.0, 3), {1.0, 2.0, 3.0}, "float start gives float control variable")
  same(collect(1, 3, 1.0), {1.0, 2.0, 3.0}, "float step gives floats")
  same(collect(1, 2, 0.5), {1.0, 1.5, 2.0}, "fractional step")
  same(collect(0.1, 0.35, 0.1), {0.1, 0.2, 0.30000000000000004}, "float accumulation follows IEEE")
  same(collect(1, 0.5), {}, "float limit below integer start")
  same(collect(-1, -1.5), {}, "negative float limit floors below start")
  same(collect(1, 2 ^ 63, 2 ^ 62), {1.0, 2.0 ^ 62, 2.0 ^ 63}, "huge float step rounds like IEEE addition")
  -- no overflow at the integer limits
  local mx, mn = math.maxinteger, math.mininteger
  same(collect(mx - 2, mx), {mx - 2, mx - 1, mx}, "loop up to maxinteger terminates")
  same(collect(mn + 2, mn, -1), {mn + 2, mn + 1, mn}, "loop down to mininteger terminates")
  same(collect(mx - 1, mx, 10), {mx - 1}, "big step near maxinteger does not wrap")
  same(collect(mn + 1, mn, -10), {mn + 1}, "big negative step near mininteger does not wrap")
  same(collect(mx, mx), {mx}, "single iteration at maxinteger")
  same(collect(mn, mn), {mn}, "single iteration at mininteger")
  same(collect(mn, mx, mx), {mn, -1, mx - 1}, "step maxinteger from mininteger")
  same(collect(mx, mn, mn), {mx, -1}, "step mininteger from maxinteger")
  same(collect(0, math.huge, mx), {0, mx}, "float inf limit clipped to maxinteger")
  same(collect(0, -math.huge, mn), {0, mn}, "float -inf limit clipped to mininteger")
  same(collect(mx, 1e100), {mx}, "huge float limit")
  same(collect(mn, -1e100, -1), {mn}, "huge negative float limit")
  same(collect(1, -math.huge), {}, "-inf limit with positive step")
  same(collect(1, 0/0), {}, "NaN limit runs zero times")
  assert(runtime_error(function() for i = nil, 2 do end end):find("bad 'for' initial value (number expected, got nil)", 1, true), "nil start")
  assert(runtime_error(function() for i = 1, {} do end end):find("bad 'for' limit (number expected, got table)", 1, true), "table limit")
  assert(runtime_error(function() for i = 1, 2, {} do end end):find("bad 'for' step (number expected, got table)", 1, true), "table step")
  assert(runtime_error(function() for i = 1, 10, 0 do end end):find("'for' step is zero", 1, true), "integer step zero")
  assert(runtime_error(function() for i = 1.0, 10, 0.0 do end end):find("'for' step is zero", 1, true), "float step zero")
  assert(runtime_error(function() for i = 1, 10, -0.0 do end end):find("'for' step is zero", 1, true), "negative zero step")
  -- expressions are evaluated once, before the loop
  local evals = 0
  local function lim() evals = evals + 1; return 3 end
  local iters = 0
  for i = 1, lim() do iters = iters + 1 end
  assert(evals == 1 and iters == 3, "limit evaluated once")
  -- the loop variable is local to the loop body and fresh per iteration
  local fs = {}
  for i = 1, 3 do fs[i] = function() return i end end
  assert(fs[1]() == 1 and fs[2]() == 2 and fs[3]() == 3, "closures capture a fresh loop variable")
  local i = "outer"
  for i = 1, 2 do end
  assert(i == "outer", "loop variable does not leak")
  -- modifying a shadowing local does not affect iteration
  local seen = {}
  for i = 1, 3 do local i = i * 10; seen[#seen + 1] = i end
  assert(seen[1] == 10 and seen[3] == 30 and #seen == 3, "shadowing the control variable")
end

-- §3.3.5 Generic for, including the closing value.
do
  local t = {10, 20, 30}
  local sum, keys = 0, 0
  for k, v in ipairs(t) do sum = sum + v; keys = keys + k end
  assert(sum == 60 and keys == 6, "ipairs iteration")
  local function range(n)
    return function(st, c) if c < n then return c + 1 end end, nil, 0
  end
  local r = {}
  for x in range(4) do r[#r + 1] = x end
  assert(#r == 4 and r[4] == 4, "custom stateless iterator")
  -- iteration ends when the first value is nil, even if others are not
  local calls = 0
  for a, b in function(_, c) calls = calls + 1; if calls < 3 then return calls, "x" else return nil, "y" end end do end
  assert(calls == 3, "nil control value ends the loop")
  -- state and control are passed to the iterator
  local got_state, got_ctl
  for _ in function(s, c) got_state, got_ctl = s, c; return nil end, "S", "C" do end
  assert(got_state == "S" and got_ctl == "C", "iterator gets state and initial control")
  -- closing value: closed when the loop ends normally, by break, and by error
  local log = {}
  local function closer(tag)
    return setmetatable({}, {__close = function(_, err) log[#log + 1] = tag .. ":" .. tostring(err) end})
  end
  local function iter(n)
    local i = 0
    return function() i = i + 1; if i <= n then return i end end, nil, nil, closer("c" .. n)
  end
  for _ in iter(2) do end
  assert(log[1] == "c2:nil", "closing value closed at normal end")
  for x in iter(5) do if x == 2 then break end end
  assert(log[2] == "c5:nil", "closing value closed on break")
  local ok, e = pcall(function() for x in iter(3) do error("boom", 0) end end)
  assert(not ok and e == "boom" and log[3] == "c3:boom", "closing value closed on error with the error")
  local function ret() for x in iter(4) do return x end end
  assert(ret() == 1 and log[4] == "c4:nil", "closing value closed on return")
  assert(runtime_error(function() for x in function() end, nil, nil, {} do end end):find("got a non-closable value", 1, true), "non-closable closing value")
  for x in function() end, nil, nil, false do end
  for x in function() end, nil, nil, nil do end
  -- errors calling the iterator
  assert(runtime_error(function() for x in nil do end end):find("attempt to call a nil value", 1, true), "nil iterator")
  assert(runtime_error(function() local t = {} for x in t do end end):find("attempt to call a table value", 1, true), "table iterator")
  -- explist is adjusted to four values
  local st = {}
  for k, v in next, {a = 1} do st[k] = v end
  assert(st.a == 1, "next as iterator")
  local function gen() return next, {b = 2} end
  for k, v in gen() do st[k] = v end
  assert(st.b == 2, "iterator triple from a call")
  -- fresh variables per iteration
  local fs = {}
  for k, v in ipairs({"a", "b"}) do fs[k] = function() return v end end
  assert(fs[1]() == "a" and fs[2]() == "b", "generic for variables are fresh per iteration")
end

-- §3.3.4 goto and labels.
do
  local i = 1
  ::top::
  if i < 5 then i = i + 1; goto top end
  assert(i == 5, "backward goto loops")
  do goto skip; error("skipped code ran") ::skip:: end
  -- continue idiom
  local odd = 0
  for n = 1, 10 do
    if n % 2 == 0 then goto continue end
    odd = odd + 1
    ::continue::
  end
  assert(odd == 5, "goto continue")
  -- goto out of nested loops
  local found
  for a = 1, 5 do for b = 1, 5 do if a * b == 12 then found = a * 10 + b; goto done end end end
  ::done::
  assert(found == 34, "goto leaves nested loops")
  -- jumping to a label at the end of a block is allowed even past locals
  do
    goto finish
    local unused = 1
    ::finish::
  end
  -- closures created in a goto loop capture fresh locals
  local fs = {}
  do
    local k = 1
    ::again::
    local v = k
    fs[#fs + 1] = function() return v end
    k = k + 1
    if k <= 3 then goto again end
  end
  assert(fs[1]() == 1 and fs[2]() == 2 and fs[3]() == 3, "fresh local per goto iteration")
  -- the same label name may appear in nested functions and sibling blocks
  do ::l:: end
  do ::l:: end
  local function f() ::l:: return 1 end
  assert(f() == 1, "labels are per block")
  -- compile-time goto errors
  assert(compile_error("goto nowhere"):find("no visible label 'nowhere' for <goto>", 1, true), "undefined label")
  assert(compile_error("::a:: ::a::"):find("label 'a' already defined on line 1", 1, true), "duplicate label")
  assert(compile_error("::a:: do ::a:: end"):find("label 'a' already defined", 1, true), "label visible in nested block is a duplicate")
  assert(compile_error("do local x; goto l1; local y; ::l1:: print(y) end"):find("jumps into the scope of .*'y'"), "goto into the scope of a local")
  assert(compile_error("do goto l end; do ::l:: end"):find("no visible label 'l'", 1, true), "label in a sibling block is not visible")
  assert(compile_error("local function f() goto l end ::l::"):find("no visible label 'l'", 1, true), "goto cannot leave a function")
  assert(compile_error("goto = 1"):find("<name> expected", 1, true), "goto is reserved")
end

-- §3.3.6 Function calls as statements discard results.
do
  local n = 0
  local function f() n = n + 1; return 1, 2, 3 end
  f()
  f();
  (f)()
  assert(n == 3, "call statements")
  assert(compile_error("f"):find("syntax error", 1, true), "a bare name is not a statement")
  assert(compile_error("1 + 1"):find("unexpected symbol", 1, true), "an expression is not a statement")
  -- ambiguity: a call on the next line is still a call
  local g = function(x) return function() return x end end
  local v = g
  (1)
  assert(type(v) == "function" and v() == 1, "call across a newline")
end

-- §3.3.7 Local declarations and attributes.
do
  local a <const> = 10
  local b <const>, c = 20, 30
  assert(a + b + c == 60, "const locals")
  assert(compile_error("local x <const> = 1; x = 2") == "src:1: attempt to assign to const variable 'x'", "assign to const")
  assert(compile_error("local x <const> = 1; local function f() x = 2 end"):find("attempt to assign to const variable 'x'", 1, true), "assign to const upvalue")
  assert(compile_error("local x <foo> = 1"):find("unknown attribute 'foo'", 1, true), "unknown attribute")
  assert(compile_error("local a <close>, b <close> = 1, 2"):find("multiple to-be-closed variables in local list", 1, true), "two close variables")
  local d <const> = nil
  assert(d == nil, "const nil")
  local e, f
  assert(e == nil and f == nil, "locals start as nil")
  local x = 1
  local x = x + 1
  assert(x == 2, "redeclaration sees the old variable on the right-hand side")
  local function rec(n) if n == 0 then return 0 end return n + rec(n - 1) end
  assert(rec(10) == 55, "local function can recurse")
  local notrec = function(n) return n end
  local notrec = function(n) if n == 0 then return "inner" end return notrec(0) end
  assert(notrec(1) == 0, "local f = function does not see itself")
end
