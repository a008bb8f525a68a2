#!/bin/sh
# Runs every tests/e2e_*.sh against the binary given as $1 (run from the
# repository root).  Each script exits non-zero when a check fails.
set -u
bin=${1:?usage: tests/e2e.sh BINARY}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
passed=0
failed=0
for t in tests/e2e_*.sh; do
    echo "== $t"
    if sh "$t" "$bin"; then
        passed=$((passed + 1))
    else
        echo "FAILED: $t"
        failed=$((failed + 1))
    fi
done
echo "e2e scripts: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
