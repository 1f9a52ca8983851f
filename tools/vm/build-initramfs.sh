#!/usr/bin/env bash
# build-initramfs.sh [--cli <lunatik>] [--lua <dir>] [--kmods <dir>] <lunatik.ko> <suites dir>
#                    <out.cpio.gz> [extra root dir]
#
# A busybox-static initramfs: /init (this directory's init), /lib/modules/lunatik.ko,
# /lib/modules/lua/ (the repository's lua/ directory, if any, plus the contents of --lua
# <dir>: the generated linux.* modules of the kernel, build/autogen/<release>), /tests/<suite>/
# (every directory of <suites dir> that holds a `run` script), /tests/ktap.sh and net.sh (the
# helpers the suites source), the static `lunatik` command as
# /sbin/lunatik if --cli names it, and the contents of [extra root dir] if given.
# With --kmods <dir> (lib/modules/<kver> of the stock kernel, from fetch-kernel.sh) it also packs
# the network: the kernel's modules that modules.list names (pack-modules.sh), Debian's ip, nft,
# conntrack, bpftool and netcat with their libraries (pack-programs.sh) and /sbin/modprobe
# (busybox) for the kernel's own module requests.
set -euo pipefail
cli="" lua="" kmods=""
while :; do
    case ${1:-} in
    --cli) cli=$2 ;;
    --lua) lua=$2 ;;
    --kmods) kmods=$2 ;;
    *) break ;;
    esac
    shift 2
done
ko=$1 suites=$2 out=$3 extra=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
busybox=$(command -v busybox || true)
for b in /bin/busybox /usr/bin/busybox; do [ -x "$b" ] && busybox=$b && break; done
# The guest has no libc: the busybox must be static (package busybox-static).
if [ -z "$busybox" ] || readelf -lW "$busybox" | grep -q INTERP; then
    echo "build-initramfs: a static busybox is needed (apt-get install busybox-static)" >&2
    exit 1
fi

# The command runs in the guest, which has no libc: it must be static too.
if [ -n "$cli" ] && readelf -lW "$cli" | grep -q INTERP; then
    echo "build-initramfs: $cli is dynamically linked; the guest has no libc" >&2
    exit 1
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/lunatik-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,var,lib/modules,tests}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
# `ip netns` keeps its namespaces in /run/netns (init mounts a tmpfs on /run).
ln -s ../run "$root/var/run"
if [ -n "$kmods" ]; then
    "$here/pack-modules.sh" "$kmods" "$root"
    "$here/pack-programs.sh" "$root"
    # The kernel runs CONFIG_MODPROBE_PATH (/sbin/modprobe) to load a module it needs by alias
    # (rtnl-link-veth, nfnetlink-subsys-10, crypto-gcm): busybox's modprobe reads depmod's index.
    ln -s ../bin/busybox "$root/sbin/modprobe"
fi
cp "$here/init" "$root/init"
cp "$ko" "$root/lib/modules/lunatik.ko"
[ -d "$repo/lua" ] && cp -r "$repo/lua" "$root/lib/modules/lua"
[ -n "$lua" ] && mkdir -p "$root/lib/modules/lua" && cp -r "$lua"/. "$root/lib/modules/lua/"
# Examples run from /lib/modules/lua/examples (as `make install` puts them); test modules
# built next to lunatik.ko (build/kmod/<release>/tests/*.ko) go next to it in the guest.
[ -d "$repo/examples" ] && mkdir -p "$root/lib/modules/lua" && cp -r "$repo/examples" "$root/lib/modules/lua/"
for test_ko in "$(dirname "$ko")"/tests/*.ko; do
    [ -f "$test_ko" ] && cp "$test_ko" "$root/lib/modules/"
done
for run in "$suites"/*/run; do
    [ -f "$run" ] || continue
    cp -r "$(dirname "$run")" "$root/tests/"
done
# The helpers suites source as ../ktap.sh, ../net.sh: the repository's, replaced by the suites
# directory's own where it has one.
for helper in "$repo"/tests/kernel/*.sh "$suites"/*.sh; do
    [ -f "$helper" ] && cp "$helper" "$root/tests/"
done
[ -n "$cli" ] && cp "$cli" "$root/sbin/lunatik"
[ -n "$extra" ] && cp -r "$extra"/. "$root/"
# The kernel opens /dev/console for init before devtmpfs is mounted; without the node (no
# mknod as non-root) init's output starts only after it mounts devtmpfs.
if [ "$(id -u)" = 0 ]; then mknod -m 600 "$root/dev/console" c 5 1; fi
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
