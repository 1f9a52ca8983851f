#!/usr/bin/env bash
# pack-modules.sh <modules dir> <guest root> [list]
#
# Copies the stock kernel's modules that [list] (default: modules.list next to this script)
# names, with everything modules.dep says they need, from <modules dir> (lib/modules/<kver>
# of the cache fetch-kernel.sh fills) to <guest root>/lib/modules/<kver>/, and indexes them
# there with `depmod -b`, so that busybox modprobe in the guest resolves dependencies and
# aliases (and the kernel's own module requests, through /sbin/modprobe, find them).
# Compressed modules are unpacked: busybox insmod/modprobe read plain ELF only. The module
# itself is not changed (its signature and version magic are Debian's).
# Prints how many modules it packed and their size.
set -euo pipefail
src=${1:?usage: pack-modules.sh <modules dir> <guest root> [list]} root=${2:?}
list=${3:-$(dirname "$0")/modules.list}
kver=$(basename "$src")
dst=$root/lib/modules/$kver
log() { echo "pack-modules: $*" >&2; }
depmod=$(PATH=$PATH:/usr/sbin:/sbin command -v depmod) || { log "depmod not found (package kmod)"; exit 1; }
[ -f "$src/modules.dep" ] || { log "no $src/modules.dep (run fetch-kernel.sh)"; exit 1; }

# Module name (`-` as `_`) -> its line of modules.dep: "path: dep dep ...".
declare -A line
while IFS= read -r l; do
    f=${l%%:*} f=${f##*/} f=${f%%.ko*}
    line[${f//-/_}]=$l
done <"$src/modules.dep"
builtin=$(sed -E 's#.*/##; s#\.ko$##; s#-#_#g' "$src/modules.builtin")

declare -A want
skipped=""
while read -r name _; do
    case $name in '' | '#'*) continue ;; esac
    name=${name//-/_}
    l=${line[$name]:-}
    if [ -z "$l" ]; then
        grep -qxF "$name" <<<"$builtin" && continue
        skipped="$skipped $name"
        continue
    fi
    for p in ${l/:/}; do want[$p]=1; done
done <"$list"
[ -z "$skipped" ] || log "not in $kver, skipped:$skipped"

mkdir -p "$dst"
bytes=0
for p in "${!want[@]}"; do
    [ -f "$src/$p" ] || { log "$p (a dependency) is not in $src"; exit 1; }
    out=$dst/${p%.xz} out=${out%.zst} out=${out%.gz}
    mkdir -p "$(dirname "$out")"
    case $p in
    *.xz) xz -dc "$src/$p" >"$out" ;;
    *.zst) zstd -qdc "$src/$p" >"$out" ;;
    *.gz) gzip -dc "$src/$p" >"$out" ;;
    *) cp "$src/$p" "$out" ;;
    esac
    bytes=$((bytes + $(stat -c %s "$out")))
done
# modules.order (depmod's tie-break between modules) only for the packed ones: the whole
# kernel's is 170 KiB.
(cd "$dst" && find kernel -name '*.ko') | grep -xFf - "$src/modules.order" >"$dst/modules.order" || true
cp "$src/modules.builtin" "$dst/"
[ -f "$src/modules.builtin.modinfo" ] && cp "$src/modules.builtin.modinfo" "$dst/"
# With the kernel's Module.symvers (the headers fetch-kernel.sh unpacked next to the modules)
# depmod names every symbol no packed module or the kernel exports: a dependency in a
# directory fetch-kernel.sh does not unpack would only show as a failed modprobe in the guest.
symvers=$(cd "$src/../../.." && pwd)/usr/src/linux-headers-$kver/Module.symvers
if [ -f "$symvers" ]; then
    unknown=$("$depmod" -b "$root" -e -E "$symvers" "$kver" 2>&1 | grep 'unknown symbol' || true)
    [ -z "$unknown" ] || { log "unresolved symbols:"; echo "$unknown" | head -n 5 >&2; exit 1; }
else
    "$depmod" -b "$root" "$kver"
fi
log "${#want[@]} modules of $kver, $((bytes / 1024)) KiB"
