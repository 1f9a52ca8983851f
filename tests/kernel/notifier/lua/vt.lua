-- Records VT writes as "<c>:<vc_num>".
local notifier = require("notifier")
local vt = require("linux.vt")
local writes = {}
notifier.vterm(function(event, c, vc)
	if event == vt.WRITE and #writes < 64 then writes[#writes + 1] = c .. ":" .. vc end
end)
return function() return table.concat(writes, ",") end
