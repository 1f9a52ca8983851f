--- The netlink namespace: route and generic netlink sessions (process runtimes only).
-- @module netlink

return {
	rt = require("netlink.rt"),
	genl = require("netlink.genl"),
	message = require("netlink.message"),
	session = require("netlink.session"),
}
