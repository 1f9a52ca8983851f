#!/usr/bin/env bash
# run.sh --vmlinuz <bzImage> --ko <lunatik.ko> [--suites <dir>] [--out <dir>] [--extra <dir>]
#        [--cli <static lunatik binary>] [--lua <dir>] [--kmods <dir>]
#
# Boots the kernel under QEMU (TCG: no KVM here; no network card: the guest's networks are its
# own veth pairs and namespaces) with an initramfs holding lunatik.ko, the
# KTAP suites, with --cli the `lunatik` command as /sbin/lunatik and with --lua a tree of Lua
# modules added to /lib/modules/lua (build/autogen/<release>), with --kmods the network (the
# stock kernel's lib/modules/<release>: see build-initramfs.sh); saves the serial console to
# <out>/serial.log and judges it with check-log.sh.
# Environment: VM_TIMEOUT (seconds for the whole boot, default 300), VM_SUITE_TIMEOUT (per
# suite, default 120), VM_SMP (default 2), VM_MEM (default 512M).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
suites=$here/../../tests/kernel out=build/vm extra="" vmlinuz="" ko="" cli="" lua="" kmods=""
while [ $# -gt 0 ]; do
    case $1 in
    --vmlinuz) vmlinuz=$2 ;;
    --ko) ko=$2 ;;
    --suites) suites=$2 ;;
    --out) out=$2 ;;
    --extra) extra=$2 ;;
    --cli) cli=$2 ;;
    --lua) lua=$2 ;;
    --kmods) kmods=$2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift 2
done
[ -f "$vmlinuz" ] && [ -f "$ko" ] && [ -d "$suites" ] || {
    echo "run.sh: need --vmlinuz <file> --ko <file> and an existing --suites dir" >&2; exit 2; }

mkdir -p "$out"
initrd=$out/initramfs.cpio.gz log=$out/serial.log
"$here/build-initramfs.sh" ${cli:+--cli "$cli"} ${lua:+--lua "$lua"} ${kmods:+--kmods "$kmods"} \
    "$ko" "$suites" "$initrd" "$extra"

echo "vm-test: booting $(basename "$vmlinuz") with $(ls "$suites" | wc -l) suite(s) from $suites," \
    "initramfs $(($(stat -c %s "$initrd") / 1024)) KiB"
start=$(date +%s)
# Input for suites that ask for it (`inject` in tests/kernel/ktap.sh): inject.py follows the
# serial log and forwards `# inject: <command>` lines to the human monitor on this socket.
monitor=$out/monitor.sock
rm -f "$monitor" "$log"
python3 "$here/inject.py" "$log" "$monitor" &
injector=$!
trap 'kill "$injector" 2>/dev/null || true' EXIT
qemu_rc=0
timeout --foreground "${VM_TIMEOUT:-300}" qemu-system-x86_64 \
    -accel tcg -cpu max -smp "${VM_SMP:-2}" -m "${VM_MEM:-512M}" \
    -nographic -no-reboot -nic none -kernel "$vmlinuz" -initrd "$initrd" \
    -monitor "unix:$monitor,server=on,wait=off" -device qemu-xhci -device usb-mouse \
    -append "console=ttyS0 panic=-1 quiet loglevel=4 rdinit=/init lunatik.suite_timeout=${VM_SUITE_TIMEOUT:-120}" \
    </dev/null >"$log" 2>&1 || qemu_rc=$?
kill "$injector" 2>/dev/null || true
echo "vm-test: qemu exited with $qemu_rc after $(($(date +%s) - start)) s; log in $log"
[ "$qemu_rc" = 124 ] && echo "vm-test: timed out after ${VM_TIMEOUT:-300} s"

# Show the test output (without the kernel log dump) before the verdict.
tr -d '\r' <"$log" | sed -n '/^lunatik-vm: dmesg begin$/,/^lunatik-vm: dmesg end$/!p' |
    grep -E '^ *(KTAP|1\.\.|ok |not ok |#)|^lunatik-vm:|^\[' || true
"$here/check-log.sh" "$log"
