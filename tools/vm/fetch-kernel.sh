#!/usr/bin/env bash
# fetch-kernel.sh <6.12|6.1>
#
# Finds the newest Debian 12 kernel of a series that has a complete set of packages (headers,
# headers-common, kbuild, unsigned image, all one version), downloads them with `apt-get download`
# and unpacks them with `dpkg-deb -x` into a cache outside the repository. Nothing is installed on
# the host. Versions are resolved from apt's lists at run time: security updates replace them.
#
# The image package also gives the kernel's own modules for the guest (the network, netfilter,
# wireless and crypto directories of lib/modules/<kver>/, as shipped: compressed on 6.12, signed
# by Debian's build key); `depmod -b` indexes them in the cache, since the package only runs
# depmod when installed. build-initramfs.sh packs the few that tools/vm/modules.list names.
#
# Prints KVER=, KDIR=, VMLINUZ= and MODULES= lines (shell- and make-readable) and records them in
# $LUNATIK_CACHE/<series>.env. A second run with the same packages only re-resolves (about 2 s).
# If apt cannot resolve anything (no network, no lists) the last recorded set is used.
set -euo pipefail

series=${1:?usage: fetch-kernel.sh <6.12|6.1>}
cache=${LUNATIK_CACHE:-/var/cache/lunatik-rs}
log() { echo "fetch-kernel: $*" >&2; }

case $series in
  6.12) abi_re='6\.12\.[0-9]+\+deb12' deb_re='^linux-[a-z]+-6\.12\.[0-9]+\+deb12' ;;
  6.1)  abi_re='6\.1\.0-[0-9]+' deb_re='^linux-([a-z]+-6\.1\.0-[0-9]+|kbuild-6\.1_)' ;;
  *) log "unknown series '$series' (want 6.12 or 6.1)"; exit 2 ;;
esac

mkdir -p "$cache/debs"
exec 9>"$cache/.lock-$series"
flock 9

sudo="" sandbox=""
# As root, apt-get download would warn that _apt cannot write the cache; download as root.
if [ "$(id -u)" = 0 ]; then sandbox="-o APT::Sandbox::User=root"; else sudo=sudo; fi

# apt-cache takes about 0.5 s per call here (no pkgcache.bin), so ask in as few calls as possible.
resolve() { # sets abi, ver, pkgs; returns 1 if no complete set exists
  local a v kb ok p
  # ABIs of the series that have an unsigned amd64 image, newest first.
  for a in $(apt-cache pkgnames linux-image- 2>/dev/null |
             sed -nE "s/^linux-image-($abi_re)-amd64-unsigned\$/\\1/p" | sort -Vr); do
    # Candidate version of the headers, and the kbuild package their Depends name
    # (linux-kbuild-6.1 or linux-kbuild-6.12.N+deb12).
    read -r v kb < <(apt-cache show --no-all-versions "linux-headers-$a-amd64" 2>/dev/null | awk '
      /^Version:/ { v = $2 }
      /^Depends:/ { if (match($0, /linux-kbuild-[^ ,]+/)) kb = substr($0, RSTART, RLENGTH) }
      END { print v, kb }') || true
    [ -n "$v" ] && [ -n "$kb" ] || continue
    pkgs=("linux-headers-$a-amd64" "linux-headers-$a-common" "$kb" "linux-image-$a-amd64-unsigned")
    # Every other package must have the same candidate version.
    ok=$(apt-cache policy "${pkgs[@]:1}" 2>/dev/null |
      awk -v v="$v" '$1 == "Candidate:" { n++; if ($2 != v) bad = 1 } END { print (n == 3 && !bad) }')
    [ "$ok" = 1 ] || continue
    abi=$a ver=$v
    return 0
  done
  return 1
}

debfile() { # debfile <pkg>: the file apt-get download made for <pkg>=$ver, empty if none
  (cd "$cache/debs" && ls "${1}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1)
}

envfile=$cache/$series.env
if ! resolve; then
  log "no $series packages in apt's lists; running apt-get update"
  $sudo apt-get update -q >&2 || true
  if ! resolve; then
    if [ -f "$envfile" ]; then
      log "cannot resolve $series from apt; using the last fetched set"
      cat "$envfile"
      exit 0
    fi
    log "no complete set of Debian $series kernel packages found"
    exit 1
  fi
fi

kver=$abi-amd64
root=$cache/$series/$kver
kdir=$root/usr/src/linux-headers-$kver
vmlinuz=$root/boot/vmlinuz-$kver

if [ ! -f "$root/.complete" ]; then
  log "fetching Debian $kver ($ver)"
  (cd "$cache/debs" && for p in "${pkgs[@]}"; do
     [ -n "$(debfile "$p")" ] || $sudo apt-get download -q $sandbox "$p=$ver" >&2
   done)
  rm -rf "$root"
  mkdir -p "$root"
  for p in "${pkgs[@]}"; do
    deb=$cache/debs/$(debfile "$p")
    case $p in
      # The kernel itself; its modules come next, unpacked on their own.
      linux-image-*) dpkg-deb --fsys-tarfile "$deb" |
                       tar -x -C "$root" "./boot/vmlinuz-$kver" "./boot/config-$kver" ;;
      *) dpkg-deb -x "$deb" "$root" ;;
    esac
  done
  # The headers' Makefile includes the -common tree by absolute path; point it at our copy.
  sed -i -E "s#^include /usr/src/#include $root/usr/src/#" "$kdir/Makefile"
  [ -f "$vmlinuz" ] && [ -f "$kdir/Makefile" ] || { log "unpacking $kver failed"; exit 1; }
  touch "$root/.complete"
  # Older sets of this series are no longer needed.
  for old in "$cache/$series"/*; do
    [ "$old" = "$root" ] || rm -rf "$old"
  done
  keep=" $(for p in "${pkgs[@]}"; do debfile "$p"; done | tr '\n' ' ')"
  for old in "$cache/debs/"*.deb; do
    name=$(basename "$old")
    if [[ $keep != *" $name "* ]] && grep -qE "$deb_re" <<<"$name"; then rm -f "$old"; fi
  done
fi

# The modules (not all of them: the guest needs networking, netfilter, wireless and crypto;
# lib/ holds the compression and checksum libraries those use, drivers/virtio what 6.1's
# mac80211_hwsim links against, drivers/usb and drivers/hid QEMU's USB mouse for the hid
# suite). The stamp names the directories: a cache unpacked with fewer (or before modules
# were packed at all) is unpacked again.
dirs="drivers/net drivers/virtio net crypto lib arch/x86/crypto drivers/usb drivers/hid"
modules=$root/lib/modules/$kver
if [ "$(cat "$modules/.complete" 2>/dev/null)" != "$dirs" ]; then
  log "unpacking the modules of $kver"
  rm -rf "$modules"
  img=linux-image-$abi-amd64-unsigned
  [ -n "$(debfile "$img")" ] || (cd "$cache/debs" && $sudo apt-get download -q $sandbox "$img=$ver" >&2)
  m=./lib/modules/$kver
  dpkg-deb --fsys-tarfile "$cache/debs/$(debfile "$img")" |
    tar -x -C "$root" --wildcards "$m/modules.*" $(for d in $dirs; do echo "$m/kernel/$d/*"; done)
  "$(PATH=$PATH:/usr/sbin:/sbin command -v depmod)" -b "$root" "$kver"
  echo "$dirs" >"$modules/.complete"
fi

printf 'KVER=%s\nKDIR=%s\nVMLINUZ=%s\nMODULES=%s\n' "$kver" "$kdir" "$vmlinuz" "$modules" | tee "$envfile.tmp"
mv "$envfile.tmp" "$envfile"
