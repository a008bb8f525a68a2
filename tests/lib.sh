# Shared helpers of the end-to-end scripts: sourced, not run, after 'bin'
# is set.  Each script counts its checks in pass/fail and ends with finish.
PY=/usr/bin/python3
# The scripts cd around: make the binary's path absolute.
case ${bin:-} in /*) ;; ?*) bin=$(pwd)/$bin ;; esac
pass=0
fail=0
# scratch NAME: a new folder $tmp, removed when the script ends.
scratch() {
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
    trap 'rm -rf "$tmp"' EXIT INT TERM
}
# ok: count a pass.  bad MESSAGE...: count a failure and say what failed.
ok() {
    pass=$((pass + 1))
}
bad() {
    fail=$((fail + 1))
    echo "not ok: $*"
}
# The helpers' variables are prefixed: sh has no local variables, and the
# scripts' own functions call them.
# check NAME COMMAND...: COMMAND must succeed; what it printed is shown
# only when it fails.
check() {
    check_name=$1
    shift
    if check_out=$("$@" 2>&1); then
        ok
    else
        bad "$check_name"
        [ -z "$check_out" ] ||
            printf '%s\n' "$check_out" | head -n 20 | sed 's/^/    /'
    fi
}
# expect_exit NAME STATUS COMMAND...: COMMAND must exit with STATUS.
expect_exit() {
    check_name=$1
    check_want=$2
    shift 2
    "$@" >/dev/null 2>&1
    check_got=$?
    if [ "$check_got" -eq "$check_want" ]; then
        ok
    else
        bad "$check_name (exit $check_got, expected $check_want)"
    fi
}
# finish NAME: the script's last line and exit status.
finish() {
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
