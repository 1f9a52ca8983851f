#!/bin/sh
# Tests of shade.sh on the host: the dark script's ciphertext decrypts back to the script
# with light.lua's key, the key is HKDF-SHA256 as documented (checked against Python's
# hmac), -t salts it, and bad usage fails. The kernel side is tests/kernel/darken.
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0 failed=0
check() { # check <name> <status>
    n=$((n + 1))
    if [ "$2" = 0 ]; then echo "ok $n $1"; else echo "not ok $n $1"; failed=$((failed + 1)); fi
}
field() { sed -n "s/.*run(\"\([0-9a-f]*\)\", \"\([0-9a-f]*\)\").*/\\$1/p" "$2"; }

printf 'return "a script", ...\n' >"$work/s.lua"
"$here/shade.sh" -s secret -o "$work/out" "$work/s.lua" >/dev/null
check writes_the_dark_script_and_the_key $([ -f "$work/out/s.dark.lua" ] && [ -f "$work/out/light.lua" ]; echo $?)
key=$(sed -n 's/return "\([0-9a-f]*\)"/\1/p' "$work/out/light.lua")
check the_key_has_64_hex_digits $([ ${#key} -eq 64 ]; echo $?)
ct=$(field 1 "$work/out/s.dark.lua") iv=$(field 2 "$work/out/s.dark.lua")
check the_iv_has_32_hex_digits $([ ${#iv} -eq 32 ]; echo $?)
python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex('$ct'))" >"$work/ct"
openssl enc -d -aes-256-ctr -K "$key" -iv "$iv" -nosalt -in "$work/ct" -out "$work/plain"
check the_ciphertext_decrypts_to_the_script $(cmp -s "$work/plain" "$work/s.lua"; echo $?)
expected=$(python3 -c '
import hashlib, hmac
prk = hmac.new(b"\0" * 32, b"secret", hashlib.sha256).digest()
print(hmac.new(prk, b"lunatik-darken\x01", hashlib.sha256).hexdigest())')
check the_key_is_hkdf_sha256_of_the_secret $([ "$key" = "$expected" ]; echo $?)
"$here/shade.sh" -s secret -t -o "$work/salted" "$work/s.lua" >/dev/null
salted=$(sed -n 's/return "\([0-9a-f]*\)"/\1/p' "$work/salted/light.lua")
check the_time_step_salts_the_key $([ ${#salted} -eq 64 ] && [ "$salted" != "$key" ]; echo $?)
"$here/shade.sh" -o "$work/random" "$work/s.lua" >/dev/null
random=$(sed -n 's/return "\([0-9a-f]*\)"/\1/p' "$work/random/light.lua")
check without_a_secret_the_key_is_random $([ ${#random} -eq 64 ] && [ "$random" != "$key" ]; echo $?)
"$here/shade.sh" -o "$work/none" >/dev/null 2>&1
check no_script_is_a_usage_error $([ $? = 2 ]; echo $?)
echo "shade-test: $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
