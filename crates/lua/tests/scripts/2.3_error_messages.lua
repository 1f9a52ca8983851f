-- A catalogue of error messages as a golden script: runtime errors with their
-- variable kinds, argument errors and compile errors, each with its position.
--[==[ expect:
2.3_error_messages.lua:62: attempt to index a nil value (field 'x')
2.3_error_messages.lua:63: attempt to index a nil value (field 'x')
2.3_error_messages.lua:64: attempt to index a nil value (global 'undefined_global')
2.3_error_messages.lua:65: attempt to perform arithmetic on a nil value (upvalue 'n')
2.3_error_messages.lua:66: attempt to perform arithmetic on a nil value (global 'undefined_global')
2.3_error_messages.lua:67: attempt to perform arithmetic on a nil value (field 'x')
2.3_error_messages.lua:68: attempt to perform arithmetic on a nil value (upvalue 'up')
2.3_error_messages.lua:69: attempt to perform arithmetic on a table value
2.3_error_messages.lua:70: attempt to compare number with nil
2.3_error_messages.lua:71: attempt to compare string with number
2.3_error_messages.lua:72: attempt to compare two table values
2.3_error_messages.lua:73: attempt to compare table with number
2.3_error_messages.lua:74: attempt to concatenate a table value (upvalue 't')
2.3_error_messages.lua:75: attempt to concatenate a nil value (field 'missing')
2.3_error_messages.lua:76: attempt to get length of a nil value (upvalue 'n')
2.3_error_messages.lua:77: attempt to perform arithmetic on a table value (upvalue 't')
2.3_error_messages.lua:78: number has no integer representation
2.3_error_messages.lua:79: number (local 'f') has no integer representation
2.3_error_messages.lua:80: attempt to perform bitwise operation on a string value (constant '1')
2.3_error_messages.lua:81: attempt to divide by zero
2.3_error_messages.lua:82: attempt to perform 'n%0'
2.3_error_messages.lua:83: attempt to call a nil value (global 'undefined_function')
2.3_error_messages.lua:84: attempt to call a nil value (field 'method')
2.3_error_messages.lua:85: attempt to call a nil value (method 'method')
2.3_error_messages.lua:86: attempt to call a string value (upvalue 's')
2.3_error_messages.lua:87: bad argument #1 to 'rep' (number expected, got table)
2.3_error_messages.lua:88: bad argument #1 to 'rep' (string expected, got no value)
2.3_error_messages.lua:89: bad argument #1 to 'sub' (number expected, got string)
2.3_error_messages.lua:90: bad argument #1 to 'insert' (table expected, got nil)
2.3_error_messages.lua:91: bad argument #1 to 'setmetatable' (table expected, got number)
2.3_error_messages.lua:92: bad argument #1 to 'floor' (number expected, got string)
2.3_error_messages.lua:93: bad argument #2 to 'format' (number has no integer representation)
2.3_error_messages.lua:94: bad argument #1 to 'char' (value out of range)
2.3_error_messages.lua:95: bad argument #2 to 'tonumber' (base out of range)
2.3_error_messages.lua:96: bad argument #1 to 'select' (index out of range)
2.3_error_messages.lua:97: plain message
no position
2.3_error_messages.lua:99: assertion failed!
2.3_error_messages.lua:100: assert message
2.3_error_messages.lua:101: 'for' step is zero
2.3_error_messages.lua:102: bad 'for' initial value (number expected, got table)
2.3_error_messages.lua:103: table index is nil
2.3_error_messages.lua:104: table index is NaN
2.3_error_messages.lua:105: bad argument #1 to 'ipairs' (value expected)
2.3_error_messages.lua:106: in __index: key
2.3_error_messages.lua:107: bad argument #1 to 'resume' (thread expected, got number)
attempt to yield from outside a coroutine
2.3_error_messages.lua:109: resulting string too large
2.3_error_messages.lua:110: bad argument #1 to 'char' (value out of range)
2.3_error_messages.lua:111: integral size (17) out of limits [1,16]
2.3_error_messages.lua:112: attempt to call a nil value
nil	chunk:1: unexpected symbol near '='
nil	chunk:1: attempt to assign to const variable 'x'
nil	chunk:1: no visible label 'nowhere' for <goto> at line 1
nil	chunk:1: unfinished string near <eof>
]==]
local function try(f, ...) print(select(2, pcall(f, ...))) end
local t, n, s, up = {}, nil, "str", nil
try(function() return t.x.y end)
try(function() t.x.y = 1 end)
try(function() return undefined_global.field end)
try(function() return n + 1 end)
try(function() return undefined_global + 1 end)
try(function() return t.x * 2 end)
try(function() return up - 1 end)
try(function() return {} + 1 end)
try(function() return 1 < nil end)
try(function() return "a" < 1 end)
try(function() return {} < {} end)
try(function() return t <= 1 end)
try(function() return "x" .. t end)
try(function() return "x" .. t.missing end)
try(function() return #n end)
try(function() return -t end)
try(function() return 1.5 | 0 end)
try(function() local f = 2.5; return f & 1 end)
try(function() return "1" | 0 end)
try(function() return 1 // 0 end)
try(function() return 1 % 0 end)
try(function() undefined_function() end)
try(function() t.method() end)
try(function() t:method() end)
try(function() s() end)
try(function() return ("x"):rep({}) end)
try(function() return string.rep() end)
try(function() return ("x"):sub("a") end)
try(function() return table.insert(nil, 1) end)
try(function() return setmetatable(1, {}) end)
try(function() return math.floor("a") end)
try(function() return string.format("%d", 1.5) end)
try(function() return string.char(256) end)
try(function() return tonumber("10", 99) end)
try(function() return select(0) end)
try(function() error("plain message") end)
try(function() error("no position", 0) end)
try(function() assert(false) end)
try(function() assert(nil, "assert message") end)
try(function() for i = 1, 10, 0 do end end)
try(function() for i = {}, 1 do end end)
try(function() t[nil] = 1 end)
try(function() t[0/0] = 1 end)
try(function() return ipairs() end)
try(function() return setmetatable({}, {__index = function(_, k) error("in __index: " .. k) end}).key end)
try(function() return coroutine.resume(1) end)
try(function() return coroutine.yield() end)
try(function() return ("x"):rep(math.maxinteger) end)
try(function() return utf8.char(-1) end)
try(function() return string.pack("i17", 1) end)
try(function() return load("x = = 1", "=chunk")() end)
print(load("x = = 1", "=chunk"))
print(load("local x <const> = 1; x = 2", "=chunk"))
print(load("goto nowhere", "=chunk"))
print(load("return 'unfinished", "=chunk"))
