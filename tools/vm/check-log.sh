#!/usr/bin/env bash
# check-log.sh <serial.log>
#
# Judges a test VM's serial console output (see init). Fails (exit 1) on:
# - KTAP: a missing top-level header, any `not ok` at any depth, a block without a plan line,
#   or a block whose result count differs from its plan;
# - the run not finishing (no "lunatik-vm: done": timeout, panic or hang);
# - kernel log lines (those with a timestamp) reporting an oops, BUG, WARNING, lockdep,
#   soft lockup, RCU stall, hung task, panic, the OOM killer, a sysfs duplicate name, or
#   an unload of lunatik.ko that left allocations (any unload, not only the last);
# - a taint flag other than O (out-of-tree, 4096) and E (unsigned, 8192).
# Prints the failures and a closing "N passed, N failed" line: the guest's top-level tests,
# plus one for the whole run (finished, clean kernel log, allowed taint) when those passed.
set -uo pipefail
log=${1:?usage: check-log.sh <serial.log>}
text=$(tr -d '\r' < "$log")
fail=0      # a problem outside the guest's own results
ktap_fail=0 # a KTAP structure problem
problem() { echo "vm-test: $*"; fail=1; }

# KTAP lines are everything outside the kernel log dump that is not a kernel message.
ktap=$(sed -n '/^lunatik-vm: dmesg begin$/,/^lunatik-vm: dmesg end$/!p' <<<"$text" |
    grep -vE '^\[ *[0-9]+\.[0-9]+\]|^lunatik-vm: ')
report=$(awk '
    function close_blocks(depth) {
        while (top > 0 && indent[top] > depth) {
            if (plan[top] < 0) printf "missing plan line in the block opened at line %d\n", start[top]
            else if (plan[top] != count[top])
                printf "plan 1..%d but %d results in the block opened at line %d\n", plan[top], count[top], start[top]
            top--
        }
    }
    { match($0, /^ */); d = RLENGTH; line = substr($0, d + 1) }
    line == "KTAP version 1" {
        if (d == 0) seen = 1
        close_blocks(d); if (top > 0 && indent[top] == d) close_blocks(d - 1)
        top++; indent[top] = d; plan[top] = -1; count[top] = 0; start[top] = NR; next
    }
    line ~ /^1\.\.[0-9]+/ && top > 0 && indent[top] == d {
        split(line, p, /\.\.|[ \t]/); plan[top] = p[2] + 0; next
    }
    line ~ /^(not )?ok [0-9]+/ {
        close_blocks(d)
        if (top > 0 && indent[top] == d) count[top]++
        if (line ~ /^not ok/) printf "%s\n", $0
        if (d == 0) { if (line ~ /^not ok/) failed++; else passed++ }
    }
    END {
        close_blocks(-1)
        if (!seen) print "no top-level KTAP header"
        printf "RESULT %d %d\n", passed, failed
    }' <<<"$ktap")
while IFS= read -r line; do
    case $line in
    RESULT*) set -- $line; passed=$2 failed=$3 ;;
    *) echo "vm-test: $line"; ktap_fail=1 ;;
    esac
done <<<"$report"

grep -q '^lunatik-vm: done' <<<"$text" ||
    problem "the guest did not finish (timeout, panic or hang); see $log"

bad='Oops|BUG:|kernel BUG at|WARNING:|possible circular locking|inconsistent lock state'
bad="$bad|possible recursive locking|soft lockup|hung task|blocked for more than|Kernel panic"
bad="$bad|general protection fault|stack guard page|scheduling while atomic|rust panic"
bad="$bad|rcu.*detected stall|self-detected stall|invoked oom-killer|Out of memory:|oom-kill:"
bad="$bad|sysfs: cannot create duplicate filename|unload: [1-9][0-9]* live allocations"
grep -E '^\[ *[0-9]+\.[0-9]+\]' <<<"$text" | grep -E "$bad" | sort -u | head -20 |
    while IFS= read -r line; do echo "vm-test: kernel: $line"; done | grep . && fail=1

taint=$(sed -n 's/^lunatik-vm: tainted=\([0-9]*\)$/\1/p' <<<"$text" | tail -n1)
if [ -n "$taint" ] && [ $((taint & ~(4096 | 8192))) != 0 ]; then
    problem "kernel tainted $taint (only O=4096 and E=8192 are allowed)"
fi

passed=${passed:-0} failed=${failed:-0}
# A nested failure whose suite still reported ok, or a broken plan, fails the suite's count.
[ "$ktap_fail" = 1 ] && [ "$failed" = 0 ] && failed=1 passed=$((passed > 0 ? passed - 1 : 0))
if [ "$fail" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
echo "vm-test: $passed passed, $failed failed"
[ "$failed" = 0 ]
