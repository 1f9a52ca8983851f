-- lua5.5-only
-- §6.4 `string.dump` and §6.1 `load` of binary chunks: round trips with and without
-- debug information, upvalues (the first gets the environment, the rest nil), nested
-- functions, mode checks, native functions, and corrupted or truncated chunks, which
-- must give errors (never crashes). The chunk format is this engine's own, so the exact
-- bytes are not compared with PUC Lua's.

local function counter()
  local n = 0
  return function(step) n = n + (step or 1); return n end
end

-- A function without upvalues round-trips with its results and nested functions.
do
  local function f(a, b, ...)
    local function g(x) return x * 2 end
    local t = {...}
    return g(a) + b, #t, select("#", ...)
  end
  local s = string.dump(f)
  assert(type(s) == "string" and s:sub(1, 4) == "\27Lua", "dump starts with the signature")
  assert(s:byte(5) == 0x55, "version byte is 5.5")
  local g = assert(load(s, "dumped", "b"))
  local x, n, m = g(3, 4, "a", "b", nil)
  assert(x == 10 and n == 2 and m == 3, "round trip keeps behaviour")
  assert(string.dump(g) == s, "dumping a loaded function gives the same chunk")
end

-- Upvalues: the first is set to the environment (here `_ENV` of load's 4th argument),
-- the others start as nil, as the manual says of `load`.
do
  local up1, up2 = 1, 2
  local function f() return up1, up2 end
  local env = {}
  local g = assert(load(string.dump(f), "u", "b", env))
  local a, b = g()
  assert(a == env and b == nil, "first upvalue is env, second is nil")
  -- A function whose only upvalue is _ENV reads globals of the new environment.
  local h = assert(load(string.dump(function() return marker end), "e", "b", {marker = 42}))
  assert(h() == 42, "_ENV upvalue gets env")
  local c = counter()
  local d = assert(load(string.dump(c), "c", "b", 10))
  assert(d(5) == 15, "a dumped closure starts from the environment value")
end

-- Main chunks keep their source name and line information unless stripped.
do
  local main = assert(load("local a = ...\nlocal t = nil\nreturn a * 2, t.x", "@chunk.lua"))
  local ok, msg = pcall(assert(load(string.dump(main), "ignored", "b")), 21)
  assert(not ok and msg == "chunk.lua:3: attempt to index a nil value (local 't')", msg)
  local stripped = assert(load(string.dump(main, true), "ignored", "b"))
  ok, msg = pcall(stripped, 21)
  assert(not ok and msg == "?:?: attempt to index a nil value (field 'x')", msg)
  assert(#string.dump(main, true) < #string.dump(main), "strip drops debug information")
  local info = debug.getinfo(stripped, "S")
  assert(info.source == "=?" and info.short_src == "?", "stripped source is =?")
  local up = 0
  local function f() up = up + {} end
  ok, msg = pcall(assert(load(string.dump(f, true))))
  assert(not ok and msg:find("upvalue '?'", 1, true), msg)
end

-- Mode checks, and dumping functions that are not Lua functions.
do
  local s = string.dump(function() end)
  local f, msg = load(s, "b", "t")
  assert(f == nil and msg == "attempt to load a binary chunk (mode is 't')", msg)
  f, msg = load("return 1", "t", "b")
  assert(f == nil and msg == "attempt to load a text chunk (mode is 'b')", msg)
  assert(load(s, "b", "bt"), "mode bt accepts binary")
  local ok, err = pcall(string.dump, print)
  assert(not ok and err:find("unable to dump given function", 1, true), err)
  ok, err = pcall(string.dump, {})
  assert(not ok and err:find("bad argument #1 to 'string.dump' (function expected, got table)", 1, true), err)
end

-- Bad headers give PUC-style messages.
do
  local s = string.dump(function() return 1 end)
  local function bad(chunk, name)
    local f, msg = load(chunk, name)
    assert(f == nil, "bad chunk loaded")
    return msg
  end
  assert(bad(s:sub(1, 4)) == "binary string: bad binary format (truncated chunk)")
  assert(bad("\27Lua\x54" .. s:sub(6), "=x") == "x: bad binary format (version mismatch)")
  assert(bad("\27Lua\x55\0" .. s:sub(7), "@f.luac") == "f.luac: bad binary format (format mismatch)")
  assert(bad(s:sub(1, 12) .. "\8" .. s:sub(14)) ==
    "binary string: bad binary format (Instruction size mismatch)")
  assert(bad(s .. "x") == "binary string: bad binary format (extra bytes after the chunk)")
end

-- Every truncation and every single-byte change of a small dump is an error or a
-- function that runs (under an instruction budget) to a result or an error.
do
  local function sample(a, ...)
    local t = {a, ...}
    local s = 0
    for i, v in ipairs(t) do s = s + i * (tonumber(v) or 0) end
    for k in pairs(t) do s = s + k end
    local function inner(x) return x .. "!" end
    return inner(s), a and #t or -1
  end
  local budget = 0
  local function guarded(f, ...)
    debug.sethook(function() error("instruction budget") end, "", 100000)
    local r = table.pack(pcall(f, ...))
    debug.sethook()
    return table.unpack(r, 1, r.n)
  end
  for _, strip in ipairs({false, true}) do
    local s = string.dump(sample, strip)
    for len = 0, #s - 1 do
      local f, msg = load(s:sub(1, len), "=t", "b")
      assert(f == nil and type(msg) == "string", "truncated chunk loaded at length " .. len)
    end
    local loaded = 0
    for i = 1, #s do
      for _, delta in ipairs({1, 0x80, 0xff}) do
        local b = string.char((s:byte(i) + delta) % 256)
        local f = load(s:sub(1, i - 1) .. b .. s:sub(i + 1), "=t", "b")
        if f then
          loaded = loaded + 1
          guarded(f, 1, 2, "3")
          budget = budget + 1
        end
      end
    end
    assert(loaded > 0, "some byte changes (in constants or debug information) still load")
  end
  assert(budget > 0)
end
