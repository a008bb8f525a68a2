#!/bin/sh
# The allocation-failure run: iomreport (built with tests/oom/failalloc.c,
# under ASan and UBSan) on a small input, with the Nth of its own
# allocator calls failing, for every N the run makes.  Each run must end
# cleanly: exit 0 (the failure had a fallback) with the same files and
# messages as the run without a failure, or with warnings added that tell
# the fallback; or 71 with one line that says out of memory; never a
# crash, a sanitizer report or a leak.
# Usage: tests/oom/run.sh BINARY (from the repository root).
# IOM_OOM_FROM and IOM_OOM_TO narrow the sweep to a range of N (default:
# 1 to the number of calls); IOM_OOM_EVERY=K samples it: every point up
# to IOM_OOM_DENSE (default 300), every Kth after.  IOM_OOM_JOBS runs that
# many sweeps side by side (default 1).  OOM_SHOW is how many bad points
# to show (default 10); OOM_LOG=FILE keeps every bad point's messages.
set -u
bin=${1:?usage: tests/oom/run.sh BINARY}
. tests/lib.sh
scratch e2e_oom
export SOURCE_DATE_EPOCH=1000000000
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
from=${IOM_OOM_FROM:-1}
to=${IOM_OOM_TO:-$total}
[ "$to" -le "$total" ] || to=$total
jobs=${IOM_OOM_JOBS:-1}
# The points to try: all up to IOM_OOM_DENSE, every IOM_OOM_EVERY-th after.
awk -v from="$from" -v to="$to" -v dense="${IOM_OOM_DENSE:-300}" \
    -v every="${IOM_OOM_EVERY:-1}" 'BEGIN {
        for (n = from; n <= to; n++)
            if (n <= dense || (n - dense) % every == 0)
                print n
    }' >"$tmp/points"
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
# sweep W: the points of lines W+1, W+1+jobs, ...; each bad one goes to
# $tmp/bad.W as a line "N rc lines" and its messages, indented.
sweep() {
    w=$1
    : >"$tmp/bad.$w"
    awk -v w="$w" -v jobs="$jobs" '(NR - 1) % jobs == w' "$tmp/points" |
    while read -r n; do
        out=$tmp/out.$w
        err=$tmp/err.$w
        rm -rf "$out"
        IOM_FAIL_ALLOC=$n "$bin" -i "$tmp/in.csv" -o "$out" -j1 \
            >/dev/null 2>"$err"
        rc=$?
        lines=$(wc -l <"$err")
        if [ $rc -eq 0 ] && ! swallowed "$err" "$out"; then
            :
        elif [ $rc -eq 0 ]; then
            echo "$n $rc $lines" >>"$tmp/bad.$w"
            { head -n 6 "$err"; echo "outputs or messages differ from" \
                "the run without a failure:"; head -n 6 "$err.diff"; } |
                sed 's/^/    /' >>"$tmp/bad.$w"
        elif [ $rc -ne 71 ] || [ "$lines" -ne 1 ] ||
            ! grep -q 'out of memory' "$err"; then
            echo "$n $rc $lines" >>"$tmp/bad.$w"
            head -n 12 "$err" | sed 's/^/    /' >>"$tmp/bad.$w"
        fi
    done
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
bad_runs=$(grep -c '^[0-9]' "$tmp/bad")
pass=$((pass + points - bad_runs))
fail=$((fail + bad_runs))
# The bad points in order of N, the first OOM_SHOW of them.
$PY - "$tmp/bad" "${OOM_SHOW:-10}" <<'PYEOF'
import sys
points, cur = [], None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if line[0].isdigit():
        n, rc, lines = line.split()
        cur = [int(n), "not ok: allocation %s failing: exit %s, %s lines\n"
               % (n, rc, lines)]
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
echo "$points allocation points of $total tried"
finish e2e_oom
