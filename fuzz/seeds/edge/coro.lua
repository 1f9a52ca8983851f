local co = coroutine.wrap(function(...)
  local n = select("#", ...)
  for i = 1, 3 do n = n + coroutine.yield(i) end
  return n
end)
local r = {co(1, 2), co(10), co(20), co(30)}
local c2 = coroutine.create(function() error({code = 1}) end)
local ok, e = coroutine.resume(c2)
local c3 = coroutine.create(function() local x <close> = setmetatable({}, {__close = function() end}) coroutine.yield() end)
coroutine.resume(c3)
return r[4], ok, type(e), coroutine.close(c3), coroutine.status(c3), coroutine.isyieldable(), coroutine.running()
