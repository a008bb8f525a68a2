#!/bin/sh
# The allocation-failure run: iomreport (built with tests/oom/failalloc.c,
# under ASan and UBSan) on a small input, with the Nth of its own
# allocator calls failing, for every N the run makes.  Each run must end
# cleanly: exit 0 (the failure had a fallback) or 71 with one line that
# says out of memory; never a crash, a sanitizer report or a leak.
# Usage: tests/oom/run.sh BINARY (from the repository root).
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
n=1
bad_runs=0
while [ "$n" -le "$total" ]; do
    rm -rf "$tmp/out"
    IOM_FAIL_ALLOC=$n "$bin" -i "$tmp/in.csv" -o "$tmp/out" -j1 \
        >/dev/null 2>"$tmp/err"
    rc=$?
    lines=$(wc -l <"$tmp/err")
    if [ $rc -eq 0 ] || { [ $rc -eq 71 ] && [ "$lines" -eq 1 ] &&
        grep -q 'out of memory' "$tmp/err"; }; then
        ok
    else
        bad_runs=$((bad_runs + 1))
        [ $bad_runs -le ${OOM_SHOW:-10} ] && {
            bad "allocation $n failing: exit $rc, $lines lines"
            head -n 12 "$tmp/err" | sed 's/^/    /'
        }
    fi
    n=$((n + 1))
done
[ $bad_runs -gt ${OOM_SHOW:-10} ] && echo "... and $((bad_runs - ${OOM_SHOW:-10})) more"
finish e2e_oom
