#!/bin/sh
# run_bench.sh BINARY [BARE_BRIEF]: the benchmark.
#
# Generates the inputs (cached under $BENCH_CACHE, keyed by size and seed),
# times iomreport and the reference Python pipeline with hyperfine
# (medians), measures peak RSS and output sizes, runs the bare libharu
# floor (BARE_BRIEF, built by bench.mk) and writes tests/bench/RESULTS.md.
# The measurements run in rounds: every round runs each of them once, in
# the same order, and the medians are taken over the runs of all rounds.
# The host's speed drifts by 20-30 % over minutes (a shared VM), so all
# the runs of one measurement and then, minutes later, all the runs of
# the next would compare different stretches of host speed; in rounds,
# iomreport and the Python pipeline run back to back every time.
# Everything else goes to a scratch folder under $BENCH_SCRATCH
# (/var/tmp), removed at the end (after all the measurements) unless
# BENCH_KEEP=1.
#
# Knobs (environment): BENCH_SEED (1), BENCH_CACHE
# (/tmp/iomreport-bench-cache), BENCH_SIZES ("1000 10000 100000 1000000":
# small, medium, large, huge), BENCH_ROUNDS (3: rounds; a round runs
# every measurement that takes more than a few seconds once and the quick
# ones, iomreport on the small input, twice after a warmup), BENCH_PY_RUNS
# (2: the Python pipeline on the medium input, the longest measurement,
# runs in the first BENCH_PY_RUNS rounds only, at most BENCH_ROUNDS),
# BENCH_RESULTS (tests/bench/RESULTS.md), BENCH_SCRATCH (/var/tmp),
# BENCH_BARE_DOCS (200: documents of the floor), BENCH_KEEP (0).
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: run_bench.sh BINARY [BARE_BRIEF]" >&2
    exit 64
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
src_bin=$1
bare=${2:-}
py=/usr/bin/python3
seed=${BENCH_SEED:-1}
cache=${BENCH_CACHE:-/tmp/iomreport-bench-cache}
results=${BENCH_RESULTS:-$here/RESULTS.md}
rounds=${BENCH_ROUNDS:-3}
py_runs=${BENCH_PY_RUNS:-2}
for v in "$rounds" "$py_runs"; do
    case $v in
    '' | *[!0-9]*)
        echo "run_bench: BENCH_ROUNDS and BENCH_PY_RUNS are counts" >&2
        exit 64
        ;;
    esac
done
if [ "$rounds" -lt 1 ]; then
    echo "run_bench: BENCH_ROUNDS must be at least 1" >&2
    exit 64
fi
if [ "$py_runs" -gt "$rounds" ]; then
    py_runs=$rounds
fi
if [ -n "${BENCH_BIG_RUNS:-}" ]; then
    echo "run_bench: BENCH_BIG_RUNS is gone, ignored (see BENCH_ROUNDS)" >&2
fi
set -- ${BENCH_SIZES:-1000 10000 100000 1000000}
n_small=$1 n_med=$2 n_large=$3 n_huge=$4
fonts=$root/fonts
SOURCE_DATE_EPOCH=1000000000
export SOURCE_DATE_EPOCH

# Missing tools come from Debian, as in the top Makefile's deps target.
need=
command -v hyperfine >/dev/null || need="$need hyperfine"
[ -x /usr/bin/time ] || need="$need time"
command -v hb-subset >/dev/null || need="$need libharfbuzz-bin"
for p in python3-pandas python3-reportlab python3-xlsxwriter; do
    dpkg-query -W -f='${Status}\n' $p 2>/dev/null |
        grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
    echo "run_bench: installing:$need"
    if [ "$(id -u)" -eq 0 ]; then s=; else s=sudo; fi
    $s apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $s apt-get install -y -qq $need
fi

# Not /tmp: there every test suite of the machine makes and removes
# folders all the time, and a folder made under it shares its inode group
# with them, so file creation there pays for inodes others freed moments
# before (see measure below); a nightly run's output folder does not.
scratch=$(mktemp -d "${BENCH_SCRATCH:-/var/tmp}/iomreport-bench.XXXXXX")
if [ "${BENCH_KEEP:-0}" != 1 ]; then
    trap 'rm -rf "$scratch"' EXIT
fi
trap 'exit 130' INT TERM
mkdir -p "$cache" "$scratch/hf"
# A copy, so that a rebuild during the benchmark cannot mix two binaries.
bin=$scratch/iomreport
cp "$src_bin" "$bin"
started=$(date +%s)
uptime >"$scratch/load.start"

# Inputs, generated once per size and seed.  The generator's own source
# is part of the key, so a changed generator never reuses stale data.
gen_sum=$(sha256sum "$here/gen_projects.py" | cut -c1-12)
input() {
    f=$cache/projects-$1-s$seed-$gen_sum.csv
    if [ ! -s "$f" ]; then
        echo "run_bench: generating $1 projects" >&2
        "$py" "$here/gen_projects.py" "$1" "$f.tmp" --seed "$seed"
        mv "$f.tmp" "$f"
    fi
    echo "$f"
}
in_small=$(input "$n_small")
in_med=$(input "$n_med")
in_large=$(input "$n_large")
in_huge=$(input "$n_huge")

# measure NAME TOOL N JOBS MODE INPUT OUTDIR HYPERFINE-OPTIONS -- COMMAND
# One round ($round) of a measurement: hyperfine writes NAME.rROUND.json,
# NAME.uptime gets a line before and one after, runs.tsv a line (with the
# round, last), so report.py puts the rounds of a name together.
# COMMAND is run by hyperfine under /usr/bin/time, which appends the peak
# RSS of every run (largest single process, in KB) to NAME.rss.  It names
# its output folder "$d": every run writes into a new folder under OUTDIR,
# made by the timed shell command itself, and nothing is removed until all
# the measurements are done, as a nightly run finds its output folder
# (last night's runs are still there, pruning removes folders a day or
# more old).  Removing the previous run's files just before a run, as a
# --prepare "rm -rf" would, makes the file system's inode allocator step
# over the inodes freed seconds before (ext4 keeps them from reuse for a
# few seconds) and adds seconds to a run with thousands of files that no
# nightly run pays; with BENCH_EMPTIED=1 a measurement does just that (the
# old condition, kept as a secondary line of RESULTS.md).
measure() {
    name=$1 tool=$2 n=$3 jobs=$4 mode=$5 in=$6 out=$7
    shift 7
    opts=
    while [ "$1" != -- ]; do opts="$opts $1"; shift; done
    shift
    # Reading the input once keeps the page cache state the same for
    # every measurement.
    cat "$in" >/dev/null
    mkdir -p "$out"
    if [ "${BENCH_EMPTIED:-0}" = 1 ]; then
        cond=emptied
        prep="rm -rf '$out/run' && mkdir '$out/run'"
        mk="d='$out/run'"
    else
        cond=fresh
        prep=
        mk="d=\$(mktemp -d '$out/run.XXXXXX')"
    fi
    if [ "$cond" = fresh ]; then
        echo "run_bench: $name, round $round of $rounds" >&2
    else
        echo "run_bench: $name" >&2
    fi
    uptime >>"$scratch/hf/$name.uptime"
    load=$(cut -d' ' -f1 /proc/loadavg)
    hyperfine --style basic $opts ${prep:+--prepare} ${prep:+"$prep"} \
        --export-json "$scratch/hf/$name.r$round.json" \
        --command-name "$name" \
        "$mk && /usr/bin/time -f %M -a -o '$scratch/hf/$name.rss' $*" \
        >"$scratch/hf/$name.r$round.log" 2>&1 || {
            cat "$scratch/hf/$name.r$round.log" >&2
            echo "run_bench: $name failed in round $round" >&2
            status=failed
        }
    uptime >>"$scratch/hf/$name.uptime"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" \
        "$tool" "$n" "$jobs" "$mode" "$in" "$out" "$load" "$cond" \
        "${status:-ok}" "$round" >>"$scratch/runs.tsv"
    status=
}

# Per round: the quick measurements (well under a second a run) twice
# after a warmup, the others once.
quick="--warmup 1 --runs 2"
big="--warmup 0 --runs 1"
o=$scratch/out
io() {
    echo "'$bin' --fonts '$fonts' --label bench --no-progress $* --output \"\$d\""
}
pyp() {
    echo "'$py' '$here/py_pipeline.py' '$1' \"\$d\" --jobs $2 --fonts '$fonts'"
}
round=1
while [ "$round" -le "$rounds" ]; do
    for j in 1 2; do
        measure "iomreport-$n_small-j$j" iomreport "$n_small" "$j" all \
            "$in_small" "$o/io-s-j$j" $quick -- \
            $(io "-i '$in_small' -j$j")
    done
    for j in 1 2; do
        measure "iomreport-$n_med-j$j" iomreport "$n_med" "$j" all \
            "$in_med" "$o/io-m-j$j" $big -- \
            $(io "-i '$in_med' -j$j")
    done
    measure "iomreport-$n_large-summary,workbook" iomreport "$n_large" 2 \
        summary,workbook "$in_large" "$o/io-l" $big -- \
        $(io "-i '$in_large' -j2 --only summary,workbook")
    measure "iomreport-$n_huge-dry-run" iomreport "$n_huge" 1 dry-run \
        "$in_huge" "$o/io-h" $big -- \
        $(io "-i '$in_huge' --dry-run")
    for j in 1 2; do
        measure "python-$n_small-j$j" python "$n_small" "$j" all \
            "$in_small" "$o/py-s-j$j" $big -- $(pyp "$in_small" "$j")
    done
    # A minute or more a run: in the first rounds only, which still run
    # it next to iomreport's runs of the same stretch.
    if [ "$round" -le "$py_runs" ]; then
        for j in 1 2; do
            measure "python-$n_med-j$j" python "$n_med" "$j" all \
                "$in_med" "$o/py-m-j$j" $big -- $(pyp "$in_med" "$j")
        done
    fi
    round=$((round + 1))
done

# The floor: a bare libharu document, with the full fonts and with fonts
# cut by HarfBuzz to the characters of the medium input (as the run's
# per-run subset would), regular and bold as in a brief.
if [ -n "$bare" ]; then
    echo "run_bench: bare libharu floor" >&2
    "$py" - "$in_med" "$scratch/chars.txt" <<'EOF'
import sys
chars = set(open(sys.argv[1], encoding="utf-8").read())
chars.update(" 0123456789.,:;()-–’“”/Page of USD")
chars.update("IOM Development Fund Project Brief Côte d'Ivoire São Tomé "
             "and Príncipe Türkiye Curaçao")
open(sys.argv[2], "w", encoding="utf-8").write(
    "".join(sorted(c for c in chars if c >= " ")))
EOF
    for face in DejaVuSans DejaVuSans-Bold; do
        hb-subset --text-file="$scratch/chars.txt" \
            --output-file="$scratch/$face.subset.ttf" "$fonts/$face.ttf"
    done
    # floor LABEL REGULAR [BOLD]: one line of bare.tsv, with the bytes of
    # the font files it embeds.
    floor() {
        label=$1
        shift
        printf '%s\t%s\t' "$label" "$(cat "$@" | wc -c)" \
            >>"$scratch/bare.tsv"
        "$bare" "${BENCH_BARE_DOCS:-200}" "$scratch/bare.pdf" "$@" \
            >>"$scratch/bare.tsv"
    }
    floor "full font, regular only" "$fonts/DejaVuSans.ttf"
    floor "full fonts, regular + bold" "$fonts/DejaVuSans.ttf" \
        "$fonts/DejaVuSans-Bold.ttf"
    floor "subset fonts, regular + bold" "$scratch/DejaVuSans.subset.ttf" \
        "$scratch/DejaVuSans-Bold.subset.ttf"
fi

# The old condition, last: the inodes it frees would disturb whatever ran
# after it.  Not in the rounds, for the same reason: one hyperfine call
# (recorded as round 1) of as many runs as the rounds gave the fresh one.
round=1
BENCH_EMPTIED=1 measure "iomreport-$n_med-j2-emptied" iomreport "$n_med" 2 \
    all "$in_med" "$o/io-m-j2-emptied" --warmup 0 --runs "$rounds" -- \
    $(io "-i '$in_med' -j2")

uptime >"$scratch/load.end"
echo $(( $(date +%s) - started )) >"$scratch/elapsed"
"$py" "$here/report.py" "$scratch" "$bin" "$root" >"$results.tmp"
mv "$results.tmp" "$results"
echo "run_bench: wrote $results in $(cat "$scratch/elapsed") s" >&2
