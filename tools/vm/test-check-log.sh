#!/usr/bin/env bash
# test-check-log.sh: check-log.sh accepts a clean run and rejects each kind of failure.
# Every case edits testdata/serial-pass.log in one way; `make vm-check-log-test` runs this.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pass=$here/testdata/serial-pass.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# expect <name> <pass|fail> <sed script>
expect() {
    sed "$3" "$pass" > "$tmp/$1.log"
    if "$here/check-log.sh" "$tmp/$1.log" > "$tmp/$1.out" 2>&1; then got=pass; else got=fail; fi
    if [ "$got" = "$2" ]; then
        passed=$((passed + 1)); echo "ok $1"
    else
        failed=$((failed + 1)); echo "not ok $1 (expected $2, got $got)"; sed 's/^/# /' "$tmp/$1.out"
    fi
}

expect clean_run_passes pass ''
expect nested_not_ok_fails fail 's/^    ok 1 module_is_loaded/    not ok 1 module_is_loaded/'
expect top_level_not_ok_fails fail 's/^ok 2 smoke/not ok 2 smoke/'
expect missing_nested_plan_fails fail '/^    1\.\.2$/d'
expect missing_top_plan_fails fail '/^1\.\.3$/d'
expect plan_count_mismatch_fails fail 's/^    1\.\.2$/    1..3/'
expect missing_ktap_header_fails fail '/^KTAP version 1$/d'
expect unfinished_run_fails fail '/^lunatik-vm: done/d'
expect oops_fails fail 's/^\(\[    4.555427\]\).*/\1 Oops: 0000 [#1] PREEMPT SMP NOPTI/'
expect kernel_bug_fails fail 's/^\(\[    4.555427\]\).*/\1 kernel BUG at mm\/slub.c:1!/'
expect warning_fails fail 's/^\(\[    4.555427\]\).*/\1 WARNING: CPU: 1 PID: 57 at kernel\/foo.c:1/'
expect lockdep_fails fail 's/^\(\[    4.555427\]\).*/\1 WARNING: possible circular locking dependency detected/'
expect inconsistent_lock_state_fails fail 's/^\(\[    4.555427\]\).*/\1 inconsistent lock state/'
expect soft_lockup_fails fail 's/^\(\[    4.555427\]\).*/\1 watchdog: BUG: soft lockup - CPU#0 stuck for 22s!/'
expect hung_task_fails fail 's/^\(\[    4.555427\]\).*/\1 INFO: task sh:60 blocked for more than 120 seconds./'
expect rcu_stall_fails fail 's/^\(\[    4.555427\]\).*/\1 rcu: INFO: rcu_preempt self-detected stall on CPU/'
expect rcu_detected_stall_fails fail 's/^\(\[    4.555427\]\).*/\1 rcu: INFO: rcu_sched detected stalls on CPUs\/tasks:/'
expect oom_killer_fails fail 's/^\(\[    4.555427\]\).*/\1 sh invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0/'
expect oom_kill_line_fails fail 's/^\(\[    4.555427\]\).*/\1 Out of memory: Killed process 57 (sh)/'
expect sysfs_duplicate_fails fail 's/^\(\[    4.555427\]\).*/\1 sysfs: cannot create duplicate filename .\/devices\/virtual\/luadevice\/null./'
expect leak_at_an_earlier_unload_fails fail 's/^\(\[    4.555427\]\).*/\1 lunatik: unload: 3 live allocations\n[    4.6] lunatik: unload: 0 live allocations/'
expect taint_w_fails fail 's/tainted=12288/tainted=12800/'
expect taint_o_e_passes pass 's/tainted=12288/tainted=4096/'
expect bug_text_in_ktap_diagnostic_passes pass 's/^    # a diagnostic line/    # BUG: this text is not a kernel message/'
echo "check-log: $passed passed, $failed failed"
[ "$failed" = 0 ]
