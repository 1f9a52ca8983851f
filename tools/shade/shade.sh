#!/bin/sh
# shade.sh: encrypts Lua scripts for `darken`/`lighten` (AES-256-CTR, openssl).
#
#   tools/shade/shade.sh [-s secret] [-t] [-o dir] script.lua...
#
# For each script writes <dir>/<name>.dark.lua, a chunk that runs the original through
# `require("lighten").run("<hex ciphertext>", "<hex iv>")` (a fresh random IV each), and
# <dir>/light.lua, the module returning the key as 64 hexadecimal digits. The key is
# HKDF-SHA256 of the secret (default: 32 random bytes) with info "lunatik-darken"; -t adds
# the current 30-second time step as the salt, so keys differ between runs. Install
# light.lua next to the dark scripts only on the machine that should run them.
set -eu

usage() { echo "usage: shade.sh [-s secret] [-t] [-o dir] script.lua..." >&2; exit 2; }

secret="" step="" dir=.
while getopts s:to: opt; do
    case $opt in
    s) secret=$OPTARG ;;
    t) step=$(( $(date +%s) / 30 )) ;;
    o) dir=$OPTARG ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
command -v openssl >/dev/null || { echo "shade.sh: openssl is needed" >&2; exit 1; }

hex() { od -An -tx1 -v | tr -d ' \n'; }

[ -n "$secret" ] || secret=$(openssl rand -hex 32)
kdf="-keylen 32 -kdfopt digest:SHA256 -kdfopt key:$secret -kdfopt info:lunatik-darken"
[ -z "$step" ] || kdf="$kdf -kdfopt salt:$step"
# shellcheck disable=SC2086 # the options are words
key=$(openssl kdf $kdf HKDF | tr -d ':\n' | tr 'A-F' 'a-f')
[ ${#key} -eq 64 ] || { echo "shade.sh: key derivation failed" >&2; exit 1; }

mkdir -p "$dir"
for script in "$@"; do
    iv=$(openssl rand -hex 16)
    ct=$(openssl enc -aes-256-ctr -K "$key" -iv "$iv" -nosalt -in "$script" | hex)
    out="$dir/$(basename "$script" .lua).dark.lua"
    printf 'return require("lighten").run("%s", "%s")\n' "$ct" "$iv" >"$out"
    echo "shade.sh: $out"
done
printf 'return "%s"\n' "$key" >"$dir/light.lua"
echo "shade.sh: $dir/light.lua (the key: keep it with the machine that runs the scripts)"
