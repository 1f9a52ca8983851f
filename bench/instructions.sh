#!/usr/bin/env bash
# Counts the instructions each workload executes (valgrind's cachegrind `I refs`) under
# lunatik-lua and lua5.4 at reduced sizes, and prints their ratio and geometric mean.
# Instruction counts do not depend on the machine's load, so this compares two builds
# on a busy machine where wall-clock times (bench/run.sh) vary by ±20%. It is a proxy:
# cache misses and branch mispredictions, which times include, are not counted.
#
# Usage: bench/instructions.sh [-w workload[,workload...]]
# Environment: LUNATIK_LUA (default target/release/lunatik-lua), LUA54 (default lua5.4).
# Needs valgrind (apt-get install valgrind).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
lunatik="${LUNATIK_LUA:-$root/target/release/lunatik-lua}"
lua54="${LUA54:-lua5.4}"
only=""
while getopts "w:h" opt; do
	case "$opt" in
	w) only="$OPTARG" ;;
	*) sed -n '2,11p' "$0"; exit 2 ;;
	esac
done
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 2; }

# Sizes that run each workload for a few hundred million instructions.
declare -A size=([binary_trees]=11 [closure]=100000 [fib]=25 [loop]=1000 [method]=100000
	[nbody]=10000 [sort]=1 [spectral]=100 [strbuild]=10 [string_lib]=500 [table_int]=15
	[table_str]=3)

workloads=()
if [ -n "$only" ]; then
	IFS=',' read -r -a workloads <<<"$only"
else
	for f in "$here"/*.lua; do workloads+=("$(basename "$f" .lua)"); done
fi

# irefs CMD SCRIPT SIZE: the instruction count of one run.
irefs() {
	valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
		"$1" "$2" "$3" 2>&1 >/dev/null | awk '/I *refs/ { gsub(",", "", $4); print $4 }'
}

printf '%-14s %14s %14s %9s\n' workload lunatik-lua lua5.4 ours/5.4
for w in "${workloads[@]}"; do
	n="${size[$w]:-}"
	ours=$(irefs "$lunatik" "$here/$w.lua" "$n")
	theirs=$(irefs "$lua54" "$here/$w.lua" "$n")
	printf '%-14s %14s %14s %9.2f\n' "$w" "$ours" "$theirs" "$(echo "$ours $theirs" | awk '{ print $1 / $2 }')"
	echo "$ours $theirs" >>"${tmp:=$(mktemp)}"
done
awk '{ s += log($1 / $2); n++ } END { printf "geometric mean of ours/5.4 over %d workloads: %.2f\n", n, exp(s / n) }' "$tmp"
rm -f "$tmp"
