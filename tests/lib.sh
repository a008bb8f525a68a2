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
# Pause points (see include/iom/testpoint.h).  pause_at POINT FIFO CMD...:
# run CMD in the background, stopped at POINT; returns once the run is
# there (its pid in $paused_pid), or fails when it does not get there
# within a minute.  resume FIFO: let it go on.
pause_at() {
    pause_point=$1
    pause_fifo=$2
    shift 2
    rm -f "$pause_fifo"
    mkfifo "$pause_fifo" || return 1
    IOMREPORT_TEST_PAUSE=$pause_point IOMREPORT_TEST_FIFO=$pause_fifo \
        "$@" &
    paused_pid=$!
    pause_got=$(timeout 60 head -n 1 "$pause_fifo")
    [ "$pause_got" = "$pause_point" ]
}
resume() {
    echo go > "$1"
}
# sink_start DIR [VAR=VALUE...]: tests/smtp_sink.py saving into DIR, with
# the settings given (SINK_REFUSE, SINK_MAX); returns once it listens,
# its port in $port and its pid in $sink_pid, or fails when it does not
# listen within a minute.  The caller stops it.
sink_py=$(pwd)/tests/smtp_sink.py
sink_start() {
    sink_dir=$1
    shift
    mkdir -p "$sink_dir"
    rm -f "$sink_dir.port"
    mkfifo "$sink_dir.port" || return 1
    env SINK_DIR="$sink_dir" "$@" $PY "$sink_py" "$sink_dir.port" \
        >>"$sink_dir.log" 2>&1 &
    sink_pid=$!
    port=$(timeout 60 head -n 1 "$sink_dir.port")
    rm -f "$sink_dir.port"
    [ -n "$port" ]
}

# same_messages A B: the message folders A (not empty) and B hold the same
# files, byte for byte but for their Date header: a message is dated when
# it is written.  Uses $tmp.
same_messages() {
    [ -n "$(ls "$1")" ] && [ "$(ls "$1")" = "$(ls "$2")" ] || return 1
    for same_m in "$1"/*; do
        sed '/^Date: /d' "$same_m" >"$tmp/same.a"
        sed '/^Date: /d' "$2/${same_m##*/}" >"$tmp/same.b"
        cmp -s "$tmp/same.a" "$tmp/same.b" || return 1
    done
}
