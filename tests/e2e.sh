#!/bin/sh
# Runs every tests/e2e_*.sh, or the scripts named (e2e_reach...), against
# the binary given (run from the repository root), JOBS scripts at a time
# (default 1).  Each script exits non-zero when a check fails; its output
# is shown whole once it ends.
#
# usage: sh tests/e2e.sh [-j JOBS] BINARY [SCRIPT...]
set -u
jobs=1
if [ "${1:-}" = -j ]; then
    jobs=${2:?usage: tests/e2e.sh [-j JOBS] BINARY [SCRIPT...]}
    shift 2
fi
bin=${1:?usage: tests/e2e.sh [-j JOBS] BINARY [SCRIPT...]}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
shift

# A lane is scripts run one after the other; lanes run side by side.  Each
# script has its own scratch folder, but the two that serve SMTP pick a free
# loopback port and release it before a server takes it (or to have a port
# nothing listens on): side by side, one could take the other's port.  The
# longest lanes go first, so that the last to start is a short one.
lanes="e2e_deliver+e2e_send e2e_hostile e2e_encoding e2e_xlsx e2e_summary
       e2e_install e2e_exports e2e_cron"
listed=" $(echo $lanes | tr '+' ' ') "
for t in tests/e2e_*.sh; do
    t=${t#tests/}
    t=${t%.sh}
    case $listed in *" $t "*) ;; *) lanes="$lanes $t" ;; esac
done
[ $# -eq 0 ] || lanes=$*

# run_lane LANE: each script's output into $out/NAME.out, shown under a
# lock so that two that end together do not mix; a failed one leaves
# $out/NAME.failed.
run_lane() {
    for t in $(echo "$1" | tr '+' ' '); do
        sh "tests/$t.sh" "$bin" >"$out/$t.out" 2>&1 || : >"$out/$t.failed"
        flock "$out/lock" sh -c 'echo "== tests/$1.sh"; cat "$2"' sh "$t" \
            "$out/$t.out"
    done
}
# Run again by xargs below for one lane, in the caller's folder $E2E_OUT.
if [ "${E2E_LANE:-}" ]; then
    out=$E2E_OUT
    run_lane "$E2E_LANE"
    exit 0
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/e2e.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT INT TERM
printf '%s\n' $lanes |
    E2E_OUT=$out xargs -P "$jobs" -I {} env E2E_LANE={} sh "$0" "$bin"
failed=$(cd "$out" && ls -- *.failed 2>/dev/null | sed 's/\.failed$//')
total=$(ls "$out"/*.out | wc -l)
nfailed=$(printf '%s' "$failed" | grep -c .)
echo "e2e scripts: $((total - nfailed)) passed, $nfailed failed"
for t in $failed; do
    echo "FAILED: tests/$t.sh"
done
[ "$nfailed" -eq 0 ]
