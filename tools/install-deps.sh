#!/usr/bin/env bash
# Installs what this project needs on Debian 12: the packages in tools/apt-packages.txt and
# the pinned Rust toolchain (rust-toolchain.toml, with rust-src for -Zbuild-std). Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t want < <(grep -vE '^\s*(#|$)' "$here/apt-packages.txt")
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# rustup installs the toolchain and components named in rust-toolchain.toml on first use.
cd "$here/.." && rustup show active-toolchain >/dev/null
