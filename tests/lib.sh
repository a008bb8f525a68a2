# Shared helpers of the end-to-end scripts: sourced, not run.
# check NAME COMMAND...: runs COMMAND, counts a pass or a failure.
PY=/usr/bin/python3
# The scripts cd around: make the binary's path absolute.
case ${bin:-} in /*) ;; ?*) bin=$(pwd)/$bin ;; esac
pass=0
fail=0
check() {
    name=$1
    shift
    if "$@" >/dev/null 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "not ok: $name"
    fi
}
# expect_exit NAME STATUS COMMAND...: COMMAND must exit with STATUS.
expect_exit() {
    name=$1
    want=$2
    shift 2
    "$@" >/dev/null 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "not ok: $name (exit $got, expected $want)"
    fi
}
finish() {
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
