#!/usr/bin/env bash
# Runs PUC-Rio's official Lua test suite (LUA_TESTES_DIR) against lunatik-lua, each file the
# way PUC runs it, and compares the outcome with tools/lua-testes.list.
#
#   tools/lua-testes.sh [file.lua ...]    default: every test file of the folder, then all.lua
#
# Environment: LUA_TESTES_DIR (default ../shared/lua-testes from the repo root), LUNATIK_LUA
# (the binary; default: built here with cargo), LUA_TESTES_TIMEOUT (seconds per file, 120),
# LUA_TESTES_MEM (KiB of address space per file, 4000000), LUA_TESTES_ALL (1: run all.lua even
# when it is not expected to pass; 0: never).
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${LUA_TESTES_DIR:-$root/../shared/lua-testes}
list=$root/tools/lua-testes.list
timeout_s=${LUA_TESTES_TIMEOUT:-120}
mem_kib=${LUA_TESTES_MEM:-4000000}

if [ ! -f "$dir/all.lua" ]; then
  echo "testes: no Lua test suite at $dir (set LUA_TESTES_DIR), skipped"
  exit 0
fi
dir=$(cd "$dir" && pwd)

if [ -n "${LUNATIK_LUA:-}" ]; then
  bin=$LUNATIK_LUA
else
  (cd "$root" && ${CARGO:-cargo} build --release -p lunatik-lua) || exit 1
  bin=${CARGO_TARGET_DIR:-$root/target}/release/lunatik-lua
  case $bin in /*) ;; *) bin=$root/$bin ;; esac
fi

# Names expected to pass: one per line, '#' starts a comment.
expected=" $(sed 's/#.*//' "$list" | tr -s ' \t\n' ' ') "
is_expected() { [[ $expected == *" $1 "* ]]; }

# Files that are not tests on their own: the driver, a helper module, a many-GB stress test.
not_a_test=" all.lua bwcoercion.lua tracegc.lua heavy.lua "

if [ $# -gt 0 ]; then
  files=("$@")
else
  files=()
  for f in "$dir"/*.lua; do
    f=${f##*/}
    [[ $not_a_test == *" $f "* ]] || files+=("$f")
  done
fi

passed=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs one file in a subshell with PUC's limits; its stderr and stdout go to $log.
run_one() {
  local f=$1
  (
    cd "$dir" || exit 1
    ulimit -S -s 1100
    ulimit -v "$mem_kib"
    case $f in
      files.lua) echo | timeout "$timeout_s" "$bin" -W "$f" ;;
      # big.lua yields from its main chunk: it runs inside a coroutine, as all.lua runs it.
      big.lua) timeout "$timeout_s" "$bin" -W -e \
        "local run = coroutine.wrap(assert(loadfile('big.lua'))); run()" </dev/null ;;
      *) timeout "$timeout_s" "$bin" -W "$f" </dev/null ;;
    esac
  ) >"$log" 2>&1
}

# The first line that tells why a run failed.
why() {
  local rc=$1
  case $rc in
    124) echo "timed out after ${timeout_s} s" ;;
    13[0-9]|14[0-9]|15[0-9]) echo "killed by signal $((rc - 128)): $(grep -m1 -v '^$' "$log" | cut -c1-160)" ;;
    *) local l
       # The interpreter's own message starts with its name (argv[0], as lua.c).
       l=$(grep -m1 -F "$bin: " "$log")
       l=${l#"$bin: "}
       [ -n "$l" ] || l=$(grep -v '^$' "$log" | tail -n1)
       [ -n "$l" ] || l="no output"
       echo "exit $rc: $(echo "$l" | cut -c1-200)" ;;
  esac
}

check() {
  local f=$1 start rc
  start=$(date +%s)
  run_one "$f"
  rc=$?
  local secs=$(( $(date +%s) - start ))
  if [ $rc -eq 0 ]; then
    if is_expected "$f"; then
      echo "testes: $f ok (${secs} s)"
    else
      echo "testes: $f now passes: add it to the list (tools/lua-testes.list)"
    fi
    passed=$((passed + 1))
  elif is_expected "$f"; then
    echo "testes: $f FAILED ($(why $rc))"
    failed=$((failed + 1))
  else
    echo "testes: $f known failure: $(why $rc)"
  fi
}

for f in "${files[@]}"; do
  check "$f"
done

# all.lua runs every file again in one state; only when asked for by name, when it is
# expected to pass, or with LUA_TESTES_ALL=1.
if [ $# -eq 0 ] && [ "${LUA_TESTES_ALL:-}" != 0 ]; then
  if is_expected all.lua || [ "${LUA_TESTES_ALL:-}" = 1 ]; then
    check all.lua
  else
    echo "testes: all.lua not expected to pass yet, skipped (LUA_TESTES_ALL=1 runs it)"
  fi
fi

echo "testes: $passed passed, $failed failed"
[ $failed -eq 0 ]
