-- Two runtimes whose threads resume each other while holding their own runtime: each
-- refused wait is counted; both loops must end.
local lunatik, linux = require("lunatik"), require("linux")
local other, name
return function(arg, me)
	if arg == "ping" then
		return "pong"
	elseif arg then
		other, name = arg, me
		return
	end
	local refused = 0
	for _ = 1, 50 do
		local peer = lunatik._ENV[other]
		local ok, e = pcall(peer.resume, peer, "ping")
		if not ok and tostring(e):find("deadlock") then
			refused = refused + 1
		end
		linux.schedule(1)
	end
	lunatik._ENV[name .. "_refused"] = refused
end
