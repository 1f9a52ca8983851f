#!/usr/bin/env bash
# pack-programs.sh <guest root> [list]
#
# Copies the host's programs that [list] (default: programs.list next to this script) names to
# <guest root>/usr/bin/, with every shared library ldd finds for them and the dynamic loader,
# each at the path the loader looks for it (/lib/x86_64-linux-gnu/, /lib64/), so that Debian's
# ip, nft, conntrack, bpftool and the rest run in the guest beside static busybox.
# Prints how many files it packed and their size.
set -euo pipefail
root=${1:?usage: pack-programs.sh <guest root> [list]}
list=${2:-$(dirname "$0")/programs.list}
log() { echo "pack-programs: $*" >&2; }

declare -A files # guest path -> host file
missing=""
while read -r cmd pkg _; do
    case $cmd in '' | '#'*) continue ;; esac
    bin=$(PATH=$PATH:/usr/sbin:/sbin command -v "$cmd") || { missing="$missing $pkg"; continue; }
    files[/usr/bin/$cmd]=$bin
    # "libx.so.1 => /lib/.../libx.so.1 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)".
    while read -r lib; do
        files[$lib]=$lib
    done < <(ldd "$bin" | sed -nE 's#^\s*(\S+ => )?(/\S+) \(0x[0-9a-f]+\)$#\2#p')
done <"$list"
[ -z "$missing" ] || { log "missing Debian packages:$missing (tools/install-deps.sh)"; exit 1; }

bytes=0
for p in "${!files[@]}"; do
    mkdir -p "$root$(dirname "$p")"
    cp -L "${files[$p]}" "$root$p"
    bytes=$((bytes + $(stat -c %s "$root$p")))
done
log "${#files[@]} files, $((bytes / 1024)) KiB"
