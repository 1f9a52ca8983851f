-- lua5.5-only
-- Lua 5.5: a nil error object is replaced by the string "<no error object>".

local ok, msg = pcall(error, nil)
assert(ok == false and msg == "<no error object>", "error(nil): " .. tostring(msg))
ok, msg = pcall(error)
assert(ok == false and msg == "<no error object>", "error(): " .. tostring(msg))
ok, msg = pcall(function() error(nil, 2) end)
assert(ok == false and type(msg) == "string", "error(nil, 2) still gives a string")
local co = coroutine.create(function() error(nil) end)
local okc, mc = coroutine.resume(co)
assert(okc == false and mc == "<no error object>", "error(nil) inside a coroutine")
ok, msg = xpcall(function() error(nil) end, function(m) return type(m) end)
assert(ok == false and msg == "string", "the handler sees the replaced message")
-- false is still a valid error object
ok, msg = pcall(error, false)
assert(ok == false and msg == false, "error(false) is unchanged")
