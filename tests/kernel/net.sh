# net.sh: network helpers for suites, sourced after ktap.sh (`. ../ktap.sh; . ../net.sh`).
# The guest has Debian's ip (with netns), nft, conntrack, bpftool and nc.openbsd in /usr/bin,
# busybox's ping and nc, and the stock kernel's modules that tools/vm/modules.list names
# (modprobe resolves their dependencies; the kernel loads rtnl-link-*, nfnetlink-subsys-*
# and crypto-* aliases by itself through /sbin/modprobe). Addresses for test networks:
# 192.0.2.0/24 and 2001:db8::/32 (documentation ranges, never routed); every namespace and
# device lives inside the VM.

# Debian's busybox runs its own applets before any PATH search: `ip` here is iproute2's (busybox
# `ip` has no netns). Programs started by others (`ip netns exec ns ip ...`) search PATH, where
# /usr/bin comes first.
[ -x /usr/bin/ip ] && ip() { /usr/bin/ip "$@"; }

# is_builtin <module>: 0 if the module is built into this kernel (modprobe has nothing to load).
is_builtin() {
    grep -q "/$(echo "$1" | tr - _)\.ko\$" "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null ||
        grep -q "/$(echo "$1" | tr _ -)\.ko\$" "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null
}

# load_modules <module>...: loads each with its dependencies (a built-in one counts as loaded);
# 1 if any failed, with modprobe's message on stderr (`check` shows it as a diagnostic). The
# kernel log says why (an unknown symbol, a missing device).
load_modules() {
    local m err s=0
    for m in "$@"; do
        is_builtin "$m" && continue
        err=$(modprobe "$m" 2>&1) || { echo "modprobe $m failed: $err" >&2; s=1; }
    done
    return $s
}

# net_ns <ns>: a new network namespace with its loopback up (`ip netns exec <ns> ...` enters it).
net_ns() {
    ip netns add "$1" && ip -n "$1" link set lo up
}

# net_addr <dev> <addr>/<len> [ns]: adds an address; IPv6 ones skip duplicate address detection
# so that they are usable at once.
net_addr() {
    local flags=""
    case $2 in *:*) flags=nodad ;; esac
    ip ${3:+-n "$3"} addr add "$2" dev "$1" $flags
}

# net_setup_veth <ns> <addr>/<len> <peer addr>/<len> [dev] [peer dev]: a veth pair between the
# root namespace (<dev>, default veth0, with <addr>) and <ns> (<peer dev>, default veth1, with
# <peer addr>), both up. Creates <ns> if it does not exist. Addresses may be IPv4 or IPv6; more
# can be added with net_addr.
net_setup_veth() {
    local ns=$1 addr=$2 peer_addr=$3 dev=${4:-veth0} peer=${5:-veth1}
    [ -e "/run/netns/$ns" ] || net_ns "$ns" || return 1
    ip link add "$dev" type veth peer name "$peer" netns "$ns" &&
        net_addr "$dev" "$addr" && net_addr "$peer" "$peer_addr" "$ns" &&
        ip link set "$dev" up && ip -n "$ns" link set "$peer" up
}

# net_teardown <ns>...: deletes the namespaces; the veth ends in them go, and so their pairs.
net_teardown() {
    local ns
    for ns in "$@"; do ip netns del "$ns" 2>/dev/null; done
    return 0
}

# wait_link <dev> [seconds] [ns]: polls until the device exists (0) or the time is up (1).
wait_link() {
    local i=0
    while ! ip ${3:+-n "$3"} link show "$1" >/dev/null 2>&1; do
        [ $i -ge "${2:-10}" ] && return 1
        sleep 1
        i=$((i + 1))
    done
}

# wait_gone <dev> [seconds] [ns]: polls until the device no longer exists (namespace and veth
# cleanup is asynchronous).
wait_gone() {
    local i=0
    while ip ${3:+-n "$3"} link show "$1" >/dev/null 2>&1; do
        [ $i -ge "${2:-10}" ] && return 1
        sleep 1
        i=$((i + 1))
    done
}

# net_ping <addr> [ns]: 0 if one echo request to <addr> (from <ns>, default the root namespace)
# is answered within 5 s.
net_ping() {
    if [ -n "$2" ]; then ip netns exec "$2" ping -c 1 -W 5 "$1"; else ping -c 1 -W 5 "$1"; fi
}

# wait_listen <port> [ns] [seconds]: polls until a TCP socket listens on <port> in <ns> (default
# the root namespace): a server started in the background is ready.
wait_listen() {
    local i=0
    while ! ${2:+ip netns exec "$2"} netstat -ltn | grep -q ":$1 "; do
        [ $i -ge "${3:-20}" ] && return 1
        sleep 1
        i=$((i + 1))
    done
}
