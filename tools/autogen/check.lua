-- check.lua <dir> <file>...: host-side test of a tree tools/autogen/autogen.py wrote.
--
-- Every <file> must load and return a table of integers, nested tables and struct layouts, and
-- carry the `-- kernel:` line of <dir>/lunatik/config.lua; every module of the reference's
-- table (lunatik-api.md, 2.3.1) must have its sample keys, the subsets exactly their keys.
-- Runs under lua5.4 or lunatik-lua.
local dir = assert(arg[1], "usage: check.lua <dir> <file>...")
local failures = 0

local function fail(fmt, ...)
	failures = failures + 1
	io.stderr:write("check: ", string.format(fmt, ...), "\n")
end

local function words(s)
	local t = {}
	for w in s:gmatch("%S+") do t[#t + 1] = w end
	return t
end

-- Sample keys per table; "=" before the list: the table holds exactly these keys.
local samples = {
	{"eth", "ALL IP IPV6 ARP LLDP 8021Q"},
	{"stat", "IRUGO IWUGO IRUSR IFMT IFREG"},
	{"signal", "KILL TERM INT HUP USR1 STOP _BLOCK _UNBLOCK _SETMASK RTMIN"},
	{"notify", "DONE OK BAD STOP STOP_MASK"},
	{"kbd", "KEYCODE UNBOUND_KEYCODE UNICODE KEYSYM POST_KEYSYM"},
	{"vt", "ALLOCATE DEALLOCATE WRITE UPDATE PREWRITE"},
	{"netdev", "UP DOWN REGISTER UNREGISTER CHANGE CHANGENAME"},
	{"xdp", "ABORTED DROP PASS TX REDIRECT"},
	{"bpf", "= ANY NOEXIST EXIST MAP_TYPE_HASH MAP_TYPE_ARRAY MAP_TYPE_LRU_HASH MAP_TYPE_QUEUE "
		.. "MAP_TYPE_STACK"},
	{"task", "RUNNING INTERRUPTIBLE UNINTERRUPTIBLE KILLABLE IDLE"},
	{"socket.sock", "STREAM DGRAM RAW SEQPACKET NONBLOCK CLOEXEC"},
	{"socket.af", "UNSPEC UNIX LOCAL INET INET6 NETLINK PACKET"},
	{"socket.msg", "PEEK DONTWAIT WAITALL NOSIGNAL TRUNC"},
	{"socket.ipproto", "IP ICMP TCP UDP RAW SCTP"},
	{"socket.sol", "SOCKET IP TCP IPV6 PACKET NETLINK"},
	{"socket.so", "REUSEADDR RCVBUF SNDBUF RCVTIMEO_NEW SNDTIMEO_NEW RCVTIMEO_OLD"},
	{"nf.proto", "INET IPV4 IPV6 ARP BRIDGE NETDEV"},
	{"nf.inet", "PRE_ROUTING LOCAL_IN FORWARD LOCAL_OUT POST_ROUTING INGRESS"},
	{"nf.netdev", "INGRESS EGRESS"},
	{"nf.arp", "IN OUT FORWARD"},
	{"nf.ip.pri", "FIRST RAW CONNTRACK MANGLE NAT_DST FILTER SECURITY NAT_SRC LAST"},
	{"nf.br", "PRE_ROUTING LOCAL_IN FORWARD LOCAL_OUT POST_ROUTING BROUTING"},
	{"nf.br.pri", "FIRST NAT_DST_BRIDGED FILTER_BRIDGED BRNF LAST"},
	{"nf.action", "= DROP ACCEPT STOLEN QUEUE REPEAT STOP"},
	{"nf.ct.info", "ESTABLISHED RELATED NEW IS_REPLY ESTABLISHED_REPLY"},
	{"nf.ct.status", "EXPECTED SEEN_REPLY ASSURED CONFIRMED SRC_NAT DST_NAT"},
	{"nf.ct.dir", "ORIGINAL REPLY"},
	{"nf.ct.tcp", "NONE SYN_SENT ESTABLISHED TIME_WAIT CLOSE"},
	{"netlink", "ALIGNTO"},
	{"netlink.proto", "= ROUTE GENERIC"},
	{"netlink.flag", "REQUEST MULTI ACK DUMP CREATE EXCL REPLACE"},
	{"netlink.type", "= NOOP ERROR DONE OVERRUN"},
	{"genl.id", "CTRL"},
	{"genl.cmd", "GETFAMILY NEWFAMILY"},
	{"genl.attr", "FAMILY_ID FAMILY_NAME MCAST_GROUPS MCAST_GRP_ID"},
	{"rtnetlink.rtm", "NEWLINK GETLINK SETLINK NEWADDR GETROUTE NEWRULE"},
	{"rtnetlink.rta", "DST GATEWAY OIF PRIORITY TABLE"},
	{"rtnetlink.rtn", "UNICAST"},
	{"rtnetlink.rtprot", "STATIC"},
	{"rtnetlink.scope", "UNIVERSE LINK NOWHERE"},
	{"rtnetlink.table", "MAIN LOCAL UNSPEC"},
	{"rtnetlink.iff", "= UP BROADCAST LOOPBACK POINTOPOINT RUNNING MULTICAST"},
	{"rtnetlink.ifla", "IFNAME MTU ADDRESS OPERSTATE"},
	{"rtnetlink.ifa", "ADDRESS LOCAL LABEL"},
	{"rtnetlink.fra", "TABLE PRIORITY FWMARK PROTOCOL"},
	{"rtnetlink.fr_act", "TO_TBL"},
	{"nl80211.cmd", "GET_WIPHY NEW_INTERFACE START_AP"},
	{"nl80211.attr", "IFINDEX MAC SSID"},
	{"nl80211.staflag", "AUTHORIZED"},
	{"nl80211.iftype", "STATION AP MONITOR"},
	{"syscall.numbers", "read write openat close"},
}

-- Struct layouts: table path, then the field names in offset order.
local layouts = {
	{"socket.layout.timeval", "tv_sec tv_usec"},
	{"netlink.layout.nlmsghdr", "nlmsg_len nlmsg_type nlmsg_flags nlmsg_seq nlmsg_pid"},
	{"netlink.layout.nlattr", "nla_len nla_type"},
	{"netlink.layout.nlmsgerr", "error"},
	{"genl.layout.genlmsghdr", "cmd version reserved"},
	{"rtnetlink.layout.rtmsg",
		"rtm_family rtm_dst_len rtm_src_len rtm_tos rtm_table rtm_protocol rtm_scope rtm_type rtm_flags"},
	{"rtnetlink.layout.ifinfomsg", "ifi_family ifi_type ifi_index ifi_flags ifi_change"},
	{"rtnetlink.layout.ifaddrmsg", "ifa_family ifa_prefixlen ifa_flags ifa_scope ifa_index"},
	{"rtnetlink.layout.fib_rule_hdr", "family dst_len src_len tos table action flags"},
}

-- Names a prefix's exclude= drops: none may appear under these tables.
local absent = {
	{"socket.so", "^RCVTIMEO$"}, {"rtnetlink.rtm", "^F_"}, {"nf.br", "^PRI_"},
	{"nf.ct.info", "^DIR_"}, {"syscall.numbers", "^x32_"}, {"syscall.numbers", "^ia32_"},
	{"syscall.numbers", "^syscalls$"}, {"task", "%l"},
}

local function is_layout(t)
	return type(t.size) == "number" and type(t.fields) == "table"
end

local function check_values(t, path)
	for k, v in pairs(t) do
		local where = path .. "." .. tostring(k)
		if type(v) == "table" then
			if not is_layout(v) then check_values(v, where) end
		elseif math.type(v) ~= "integer" then
			fail("%s is a %s, not an integer", where, type(v))
		end
	end
end

local function kernel_line(file)
	local f = assert(io.open(file))
	local text = f:read("a")
	f:close()
	return text:match("\n%-%- kernel: ([^\n]+)\n")
end

local config = dofile(dir .. "/lunatik/config.lua")
if type(config.kernel_version) ~= "string" or config.modules[1] ~= "lunatik" then
	fail("lunatik/config.lua: want kernel_version (string) and modules {\"lunatik\", ...}")
end

for i = 2, #arg do
	local chunk, err = loadfile(arg[i])
	local ok, t = false, err
	if chunk then ok, t = pcall(chunk) end
	if not ok or type(t) ~= "table" then
		fail("%s: does not load to a table (%s)", arg[i], tostring(t))
	else
		check_values(t, arg[i])
		if kernel_line(arg[i]) ~= config.kernel_version then
			fail("%s: '-- kernel:' line is not %s", arg[i], config.kernel_version)
		end
	end
end

local modules = {}
local function lookup(path)
	local top, rest = path:match("^([^.]+)%.?(.*)$")
	if modules[top] == nil then
		local chunk = loadfile(dir .. "/linux/" .. top .. ".lua")
		modules[top] = chunk and chunk() or false
	end
	local t = modules[top] or nil
	for name in rest:gmatch("[^.]+") do t = t and t[name] end
	return t
end

for _, s in ipairs(samples) do
	local t, keys = lookup(s[1]), words(s[2])
	local exact = keys[1] == "="
	if exact then table.remove(keys, 1) end
	if type(t) ~= "table" then
		fail("linux.%s: missing", s[1])
	else
		local n = 0
		for _ in pairs(t) do n = n + 1 end
		for _, k in ipairs(keys) do
			if math.type(t[k]) ~= "integer" then fail("linux.%s.%s: missing", s[1], k) end
		end
		if exact and n ~= #keys then fail("linux.%s: %d keys, want exactly %d", s[1], n, #keys) end
	end
end

for _, a in ipairs(absent) do
	for k in pairs(lookup(a[1]) or {}) do
		if tostring(k):find(a[2]) then fail("linux.%s.%s: should be excluded", a[1], k) end
	end
end

for _, l in ipairs(layouts) do
	local t, want = lookup(l[1]), words(l[2])
	if type(t) ~= "table" or not is_layout(t) then
		fail("linux.%s: not a layout", l[1])
	else
		local got, last = {}, -1
		for i, f in ipairs(t.fields) do
			got[i] = f.name
			if f.offset <= last or f.offset + f.size > t.size or type(f.signed) ~= "boolean" then
				fail("linux.%s: field %s is out of order, too large or lacks signed", l[1], f.name)
			end
			last = f.offset
		end
		if table.concat(got, " ") ~= table.concat(want, " ") then
			fail("linux.%s: fields '%s', want '%s'", l[1], table.concat(got, " "), l[2])
		end
	end
end

-- The values the reference fixes (section 2.3.1 and 2.15) and x86_64's syscall ABI.
local fixed = {
	{"nf.action.DROP", 0}, {"nf.action.ACCEPT", 1}, {"socket.layout.timeval.size", 16},
	{"stat.IRUGO", 292}, {"signal.KILL", 9}, {"socket.af.INET", 2}, {"syscall.numbers.read", 0},
}
for _, f in ipairs(fixed) do
	if lookup(f[1]) ~= f[2] then fail("linux.%s = %s, want %d", f[1], tostring(lookup(f[1])), f[2]) end
end

if failures > 0 then
	io.stderr:write(string.format("check: %s: %d failure(s)\n", dir, failures))
	os.exit(1)
end
print(string.format("autogen-check: %s: %d files, %d sample tables, %d layouts ok",
	config.kernel_version, #arg - 1, #samples, #layouts))
