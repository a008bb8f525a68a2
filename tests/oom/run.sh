#!/bin/sh
# The allocation-failure run: iomreport (built with tests/oom/failalloc.c,
# under ASan and UBSan) with the Nth of its own allocator calls failing,
# for every N each of two runs makes: the run that renders and publishes
# a small input, and "send all", which mails that published run to the
# stakeholders of input/stakeholders.csv through tests/smtp_sink.py.
# Each run must end cleanly: exit 0 (the failure had a fallback) with the
# same files and messages (or the same mail) as the run without a
# failure, or with warnings added that tell the fallback; or 71 with one
# line that says out of memory; never a crash, a sanitizer report or a
# leak.  A send that ends in 71 is run again without a failure, and the
# two together must have handed the server every message once: none
# twice (the sink lists each message's Message-ID), none missing.
# Usage: tests/oom/run.sh BINARY (from the repository root).
# IOM_OOM_FROM and IOM_OOM_TO narrow the sweeps to a range of N (default:
# 1 to the number of calls); IOM_OOM_EVERY=K samples them: every point up
# to IOM_OOM_DENSE (default 300), every Kth after.  IOM_OOM_JOBS runs that
# many sweeps side by side (default 1).  OOM_SHOW is how many bad points
# to show (default 10); OOM_LOG=FILE keeps every bad point's messages.
set -u
bin=${1:?usage: tests/oom/run.sh BINARY}
. tests/lib.sh
scratch e2e_oom
# The sinks of the sweeps, stopped however the script ends.
trap 'for p in "$tmp"/sink*.pid; do [ -e "$p" ] && kill "$(cat "$p")"; done
      rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
export SOURCE_DATE_EPOCH=1000000000
export IOMREPORT_MAIL_FROM=reports@example.org
unset IOMREPORT_SMTP_USER IOMREPORT_SMTP_PASSWORD IOMREPORT_SMTP_PASSWORD_FILE
# A header and five records, quoted line breaks included; every output.
$PY - "$tmp/in.csv" <<'PYEOF'
import csv, sys
rows = list(csv.reader(open("input/projects.csv", encoding="utf-8")))
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows[:6])
PYEOF
# Leaks are part of the verdict; the exit status tells them apart.
export ASAN_OPTIONS=detect_leaks=1:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:exitcode=98
IOM_COUNT_ALLOC=$tmp/count "$bin" -i "$tmp/in.csv" -o "$tmp/out0" -j1 \
    >/dev/null 2>"$tmp/err0"
check "the run without a failure succeeds" test $? -eq 0
total=$(cat "$tmp/count")
check "the run counts its allocations ($total)" test "$total" -gt 100

# sink W: this sweep's server, saving into $tmp/sink.W; its port in $port.
sink() {
    sink_start "$tmp/sink.$1" && echo "$sink_pid" >"$tmp/sink.$1.pid"
}
# mail W N ARG...: send all with the Nth allocation failing (none when N
# is empty) through sweep W's server, which forgets what it took before.
mail() {
    mail_n=$2
    rm -f "$tmp/sink.$1"/*
    shift 2
    IOM_FAIL_ALLOC=$mail_n IOMREPORT_SMTP_URL=smtp://127.0.0.1:$port \
        "$bin" send all "$@"
}
cp -a "$tmp/out0" "$tmp/send0"
sink base
rm -f "$tmp/sink.base"/*
IOM_COUNT_ALLOC=$tmp/scount IOMREPORT_SMTP_URL=smtp://127.0.0.1:$port \
    "$bin" send all -o "$tmp/send0" >/dev/null 2>"$tmp/serr0"
check "send without a failure succeeds" test $? -eq 0
sort "$tmp/sink.base/message-ids" >"$tmp/ids0"
stotal=$(cat "$tmp/scount")
check "send mails each message once ($(wc -l <"$tmp/ids0"))" sh -c \
    "[ -s '$tmp/ids0' ] && [ -z \"\$(uniq -d '$tmp/ids0')\" ]"
kill "$sink_pid"
rm -f "$tmp/sink.base.pid"
from=${IOM_OOM_FROM:-1}
jobs=${IOM_OOM_JOBS:-1}
# The points to try, "render N" and "send N": all up to IOM_OOM_DENSE,
# every IOM_OOM_EVERY-th after.
for run in "render $total" "send $stotal"; do
    awk -v run="${run% *}" -v from="$from" -v to="${IOM_OOM_TO:-${run#* }}" \
        -v total="${run#* }" -v dense="${IOM_OOM_DENSE:-300}" \
        -v every="${IOM_OOM_EVERY:-1}" 'BEGIN {
            if (to > total)
                to = total
            for (n = from; n <= to; n++)
                if (n <= dense || (n - dense) % every == 0)
                    print run, n
        }'
done >"$tmp/points"
# swallowed ERR OUT: a run that exited 0 has other files than the run
# without a failure while saying nothing new, or says more than warnings.
swallowed() {
    if cmp -s "$tmp/err0" "$1"; then
        ! diff -r "$tmp/out0/all/" "$2/all/" >"$1.diff" 2>&1
    else
        grep -v -x -F -f "$tmp/err0" "$1" >"$1.diff"
        grep -q -v '^iomreport: warning: ' "$1.diff"
    fi
}
# render W: the render run with allocation $n failing, in $tmp/out.W.
render() {
    out=$tmp/out.$1
    rm -rf "$out"
    IOM_FAIL_ALLOC=$n "$bin" -i "$tmp/in.csv" -o "$out" -j1 \
        >/dev/null 2>"$err"
    rc=$?
    lines=$(wc -l <"$err")
    if [ $rc -eq 0 ] && swallowed "$err" "$out"; then
        { head -n 6 "$err"; echo "outputs or messages differ from" \
            "the run without a failure:"; head -n 6 "$err.diff"; }
    elif [ $rc -ne 0 ] && { [ $rc -ne 71 ] || [ "$lines" -ne 1 ] ||
        ! grep -q 'out of memory' "$err"; }; then
        head -n 12 "$err"
    fi
}
# mailed W: what sweep W's server took, against the mail of the run
# without a failure; says what differs.
mailed() {
    sort "$tmp/sink.$1/message-ids" 2>/dev/null >>"$tmp/ids.$1"
    sort "$tmp/ids.$1" | uniq -d | sed 's/^/sent twice: /'
    sort -u "$tmp/ids.$1" | comm -13 - "$tmp/ids0" | sed 's/^/not sent: /'
}
# send W: send with allocation $n failing, on a copy of the published
# run with no delivery log; after a 71, once more without a failure.  The
# warnings of the run without a failure are no lines of its own.
send() {
    out=$tmp/sout.$1
    rm -rf "$out" "$tmp/ids.$1"
    cp -a "$tmp/out0" "$out"
    mail "$1" "$n" -o "$out" >/dev/null 2>"$err"
    rc=$?
    grep -v -x -F -f "$tmp/serr0" "$err" >"$err.own"
    if [ $rc -eq 71 ] && [ "$(wc -l <"$err.own")" -eq 1 ] &&
        grep -q 'out of memory' "$err.own"; then
        sort "$tmp/sink.$1/message-ids" 2>/dev/null >"$tmp/ids.$1"
        mail "$1" "" -o "$out" >/dev/null 2>"$err.again"
        again=$?
        [ $again -eq 0 ] || { echo "then without a failure: exit $again"
            head -n 6 "$err.again"; }
        mailed "$1"
    elif [ $rc -eq 0 ]; then
        grep -v '^iomreport: warning: ' "$err.own" | sed 's/^/said: /'
        mailed "$1"
    else
        head -n 12 "$err"
    fi
}
# sweep W: the points of lines W+1, W+1+jobs, ...; each bad one goes to
# $tmp/bad.W as a line "RUN N rc lines" and what was wrong, indented.
sweep() {
    w=$1
    err=$tmp/err.$w
    : >"$tmp/bad.$w"
    if grep -q '^send' "$tmp/points" && ! sink "$w"; then
        echo "send 0 - 0" >>"$tmp/bad.$w"
        echo "    the SMTP sink did not start" >>"$tmp/bad.$w"
        return
    fi
    awk -v w="$w" -v jobs="$jobs" '(NR - 1) % jobs == w' "$tmp/points" |
    while read -r run n; do
        "$run" "$w" >"$err.why" 2>&1
        if [ -s "$err.why" ]; then
            echo "$run $n $rc $(wc -l <"$err")" >>"$tmp/bad.$w"
            sed 's/^/    /' "$err.why" >>"$tmp/bad.$w"
        fi
    done
    [ ! -e "$tmp/sink.$w.pid" ] || kill "$(cat "$tmp/sink.$w.pid")"
    rm -f "$tmp/sink.$w.pid"
}
w=0
while [ "$w" -lt "$jobs" ]; do
    sweep "$w" &
    w=$((w + 1))
done
wait
cat "$tmp"/bad.* >"$tmp/bad"
[ -n "${OOM_LOG:-}" ] && cp "$tmp/bad" "$OOM_LOG"
points=$(wc -l <"$tmp/points")
bad_runs=$(grep -c '^[a-z]' "$tmp/bad")
pass=$((pass + points - bad_runs))
fail=$((fail + bad_runs))
# The bad points in order of run and N, the first OOM_SHOW of them.
$PY - "$tmp/bad" "${OOM_SHOW:-10}" <<'PYEOF'
import sys
points, cur = [], None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if line[0].isalpha():
        run, n, rc, lines = line.split()
        cur = [(run, int(n)), "not ok: %s, allocation %s failing: exit %s, "
               "%s lines\n" % (run, n, rc, lines)]
        points.append(cur)
    else:
        cur[1] += line
points.sort()
show = int(sys.argv[2])
for _, text in points[:show]:
    sys.stdout.write(text)
if len(points) > show:
    print("... and %d more" % (len(points) - show))
PYEOF
echo "$points allocation points tried: of $total in the run, of $stotal in send"
finish e2e_oom
