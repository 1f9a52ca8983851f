# ktap.sh: what every suite's `run` shares (sourced as `. ../ktap.sh` from the suite's
# directory). Requests go to /dev/lunatik: the reply to a chunk is `+` and its results
# separated by tabs, or `-` and the error message.
dev=/dev/lunatik
n=0
result() { # result <name> <status> [diagnostic]
    n=$((n + 1))
    if [ "$2" = 0 ]; then echo "ok $n $1"; else echo "not ok $n $1"; [ -n "$3" ] && echo "# $3"; fi
}
request() {
    exec 3<>"$dev" || return 1
    printf '%s' "$1" >&3 || return 1
    cat <&3
    exec 3<&-
}
expect() { # expect <name> <chunk> <reply>
    got=$(request "$2")
    [ "$got" = "$3" ]
    result "$1" $? "expected '$3', got '$got'"
}
expect_has() { # expect_has <name> <chunk> <text in the reply>
    got=$(request "$2")
    case $got in *"$3"*) s=0 ;; *) s=1 ;; esac
    result "$1" $s "expected '...$3...', got '$got'"
}
wait_for() { # wait_for <chunk> [seconds]: polls until the chunk returns true (threads start late under TCG)
    i=0
    while [ $i -lt "${2:-30}" ] && [ "$(request "$1")" != "+true" ]; do sleep 1; i=$((i + 1)); done
}
# Installs the suite's lua/*.lua as /lib/modules/lua/test/*.lua.
install_scripts() {
    mkdir -p /lib/modules/lua/test
    cp lua/*.lua /lib/modules/lua/test/
}
skip() { # skip <name> <reason>
    n=$((n + 1))
    echo "ok $n $1 # SKIP $2"
}
check() { # check <name> <command> [args]: ok if the command exits 0; else its output as diagnostics
    local name=$1 out s
    shift
    out=$("$@" 2>&1)
    s=$?
    result "$name" $s
    [ $s = 0 ] || printf '%s\n' "$out" | head -n 20 | sed 's/^/# /'
    return $s
}
inject() { # inject <HMP command>: asks the host (tools/vm/inject.py) to send input through QEMU's monitor
    echo "# inject: $*" >/dev/console
}
