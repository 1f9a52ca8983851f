-- Records netdevice events as "<event>:<name>"; vetoes lkveto0, fails on lkfail0.
local notifier = require("notifier")
local notify = require("linux.notify")
local netdev = require("linux.netdev")

local seen = {}
local n = notifier.netdevice(function(event, name)
	seen[event .. ":" .. name] = true
	if event == netdev.REGISTER and name == "lkveto0" then return notify.BAD end
	if name == "lkfail0" then error("callback failed on purpose") end
end)
-- What the chain replayed during the registration call, before the body went on.
local replayed = {}
for k in pairs(seen) do replayed[k] = true end

return function(op, arg)
	if op == "replayed" then return replayed[arg] == true
	elseif op == "seen" then return seen[arg] == true
	elseif op == "class" then return getmetatable(n).__name
	elseif op == "stop" then n:stop(); return "stopped"
	elseif op == "badstop" then return select(2, pcall(function() return n.stop(1) end))
	end
end
