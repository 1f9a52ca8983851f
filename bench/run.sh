#!/usr/bin/env bash
# Times every bench/*.lua workload under lunatik-lua, lua5.4 and `luajit -joff`
# in one run, checks that their checksums agree, and prints the times (best of
# N runs), the ratio lunatik-lua/lua5.4 per workload and the geometric mean.
#
# Usage: bench/run.sh [-n RUNS] [-w workload[,workload...]] [-q]
#   -n RUNS   runs per workload and interpreter, the best is kept (default 3)
#   -w LIST   comma-separated workload names without .lua (default: all)
#   -q        quick: one run each (same as -n 1)
# Environment: LUNATIK_LUA (default target/release/lunatik-lua), LUA54 (default
# lua5.4), LUAJIT (default luajit). A missing interpreter gets a "-" column.
# Exit status: 1 if any checksum differs or an interpreter fails, else 0.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs=3
only=""
while getopts "n:w:qh" opt; do
	case "$opt" in
	n) runs="$OPTARG" ;;
	w) only="$OPTARG" ;;
	q) runs=1 ;;
	*) sed -n '2,12p' "$0"; exit 2 ;;
	esac
done

lunatik="${LUNATIK_LUA:-$root/target/release/lunatik-lua}"
lua54="${LUA54:-lua5.4}"
luajit="${LUAJIT:-luajit}"

# Column i: a label and a command prefix; empty when the interpreter is missing.
labels=("lunatik-lua" "lua5.4" "luajit -joff")
cmds=("" "" "")
[ -x "$lunatik" ] && cmds[0]="$lunatik"
command -v "$lua54" >/dev/null 2>&1 && cmds[1]="$lua54"
command -v "$luajit" >/dev/null 2>&1 && cmds[2]="$luajit -joff"

workloads=()
if [ -n "$only" ]; then
	IFS=',' read -r -a workloads <<<"$only"
else
	for f in "$here"/*.lua; do workloads+=("$(basename "$f" .lua)"); done
fi

now_ns() { date +%s%N; }

# one_run CMD SCRIPT: prints "NANOSECONDS CHECKSUM", or "fail MESSAGE" if the
# interpreter exits non-zero.
one_run() {
	local cmd="$1" script="$2" out t0 t1
	t0=$(now_ns)
	if ! out=$($cmd "$script" 2>&1); then
		echo "fail ${out%%$'\n'*}"
		return
	fi
	t1=$(now_ns)
	echo "$((t1 - t0)) ${out:-<no output>}"
}

status=0
ratios=()
printf '%-14s %12s %12s %13s %10s  %s\n' "workload" "${labels[0]}" "${labels[1]}" "${labels[2]}" "ours/5.4" "checksum"
for w in "${workloads[@]}"; do
	script="$here/$w.lua"
	if [ ! -f "$script" ]; then
		echo "no workload $w" >&2
		exit 2
	fi
	# Rounds interleave the interpreters, so that a noisy moment on a shared machine
	# does not fall on one interpreter's runs only; each keeps its best time.
	best=("" "" "") sums=("" "" "") failed=("" "" "")
	for ((r = 0; r < runs; r++)); do
		for i in 0 1 2; do
			[ -n "${cmds[$i]}" ] && [ -z "${failed[$i]}" ] || continue
			result=$(one_run "${cmds[$i]}" "$script")
			if [ "${result%% *}" = "fail" ]; then
				failed[$i]="${result#fail }"
				failed[$i]="${failed[$i]:-exit status non-zero}"
				continue
			fi
			ns="${result%% *}"
			sums[$i]="${result#* }"
			if [ -z "${best[$i]}" ] || [ "$ns" -lt "${best[$i]}" ]; then best[$i]=$ns; fi
		done
	done
	times=()
	for i in 0 1 2; do
		if [ -z "${cmds[$i]}" ]; then
			times+=("-")
		elif [ -n "${failed[$i]}" ]; then
			times+=("fail") sums[$i]=""
			echo "  $w: ${labels[$i]} failed: ${failed[$i]}" >&2
			status=1
		else
			times+=("$(awk -v ns="${best[$i]}" 'BEGIN { printf "%.3f", ns / 1e9 }')")
		fi
	done
	# Every interpreter that ran must print the same checksum.
	reference="" note=""
	for i in 0 1 2; do
		[ -n "${sums[$i]}" ] || continue
		if [ -z "$reference" ]; then
			reference="${sums[$i]}"
		elif [ "${sums[$i]}" != "$reference" ]; then
			note=" MISMATCH (${labels[$i]}: ${sums[$i]})"
			status=1
		fi
	done
	ratio="-"
	# A wrong answer is not a time: it stays out of the geometric mean.
	if [ -z "$note" ] && [[ "${times[0]}" =~ ^[0-9.]+$ && "${times[1]}" =~ ^[0-9.]+$ ]]; then
		ratio=$(awk -v a="${times[0]}" -v b="${times[1]}" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
		ratios+=("$ratio")
	fi
	printf '%-14s %12s %12s %13s %10s  %s%s\n' "$w" "${times[0]}" "${times[1]}" "${times[2]}" "$ratio" "$reference" "$note"
done

if [ "${#ratios[@]}" -gt 0 ]; then
	printf '%s\n' "${ratios[@]}" | awk '{ s += log($1); n++ } END { printf "geometric mean of ours/5.4 over %d workloads: %.2f\n", n, exp(s / n) }'
else
	echo "geometric mean: n/a (no workload has a correct lunatik-lua time and a lua5.4 time; lunatik-lua: $lunatik)"
fi
exit "$status"
