#!/bin/sh
# run_bench.sh BINARY [BARE_BRIEF]: the benchmark.
#
# Generates the inputs (cached under $BENCH_CACHE, keyed by size and seed),
# times iomreport and the reference Python pipeline with hyperfine
# (medians), measures peak RSS and output sizes, runs the bare libharu
# floor (BARE_BRIEF, built by bench.mk) and writes tests/bench/RESULTS.md.
# Everything else goes to a scratch folder under /tmp, removed at the end
# unless BENCH_KEEP=1.
#
# Knobs (environment): BENCH_SEED (1), BENCH_CACHE
# (/tmp/iomreport-bench-cache), BENCH_SIZES ("1000 10000 100000 1000000":
# small, medium, large, huge), BENCH_PY_RUNS (2: hyperfine runs of the
# Python pipeline on the medium input), BENCH_BIG_RUNS (3: runs of every
# other measurement that takes more than a few seconds), BENCH_RESULTS
# (tests/bench/RESULTS.md).
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
py_runs=${BENCH_PY_RUNS:-2}
big_runs=${BENCH_BIG_RUNS:-3}
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

scratch=$(mktemp -d /tmp/iomreport-bench.XXXXXX)
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
# COMMAND is run by hyperfine under /usr/bin/time, which appends the peak
# RSS of every run (largest single process, in KB) to NAME.rss; the
# output folder is emptied before every run.
measure() {
    name=$1 tool=$2 n=$3 jobs=$4 mode=$5 in=$6 out=$7
    shift 7
    opts=
    while [ "$1" != -- ]; do opts="$opts $1"; shift; done
    shift
    echo "run_bench: $name" >&2
    # Reading the input once keeps the page cache state the same for
    # every measurement.
    cat "$in" >/dev/null
    load=$(cut -d' ' -f1 /proc/loadavg)
    hyperfine --style basic $opts \
        --prepare "rm -rf '$out'" \
        --export-json "$scratch/hf/$name.json" \
        --command-name "$name" \
        "/usr/bin/time -f %M -a -o '$scratch/hf/$name.rss' $*" \
        >"$scratch/hf/$name.log" 2>&1 || {
            cat "$scratch/hf/$name.log" >&2
            echo "run_bench: $name failed" >&2
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\tfailed\n' "$name" \
                "$tool" "$n" "$jobs" "$mode" "$in" "$out" "$load" \
                >>"$scratch/runs.tsv"
            return 0
        }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\tok\n' "$name" "$tool" \
        "$n" "$jobs" "$mode" "$in" "$out" "$load" >>"$scratch/runs.tsv"
}

quick="--warmup 1 --min-runs 3 --max-runs 10"
big="--warmup 0 --runs $big_runs"
o=$scratch/out
io() {
    echo "'$bin' --fonts '$fonts' --label bench --no-progress $*"
}
for j in 1 2; do
    measure "iomreport-$n_small-j$j" iomreport "$n_small" "$j" all \
        "$in_small" "$o/io-s-j$j" $quick -- \
        $(io "-i '$in_small' --output '$o/io-s-j$j' -j$j")
done
for j in 1 2; do
    measure "iomreport-$n_med-j$j" iomreport "$n_med" "$j" all \
        "$in_med" "$o/io-m-j$j" $big -- \
        $(io "-i '$in_med' --output '$o/io-m-j$j' -j$j")
done
measure "iomreport-$n_large-summary,workbook" iomreport "$n_large" 2 \
    summary,workbook "$in_large" "$o/io-l" $big -- \
    $(io "-i '$in_large' --output '$o/io-l' -j2 --only summary,workbook")
measure "iomreport-$n_huge-dry-run" iomreport "$n_huge" 1 dry-run \
    "$in_huge" "$o/io-h" $big -- \
    $(io "-i '$in_huge' --output '$o/io-h' --dry-run")
for j in 1 2; do
    measure "python-$n_small-j$j" python "$n_small" "$j" all \
        "$in_small" "$o/py-s-j$j" $big -- \
        "$py" "'$here/py_pipeline.py'" "'$in_small'" "'$o/py-s-j$j'" \
        --jobs "$j" --fonts "'$fonts'"
done
for j in 1 2; do
    measure "python-$n_med-j$j" python "$n_med" "$j" all \
        "$in_med" "$o/py-m-j$j" --warmup 0 --runs "$py_runs" -- \
        "$py" "'$here/py_pipeline.py'" "'$in_med'" "'$o/py-m-j$j'" \
        --jobs "$j" --fonts "'$fonts'"
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

uptime >"$scratch/load.end"
echo $(( $(date +%s) - started )) >"$scratch/elapsed"
"$py" "$here/report.py" "$scratch" "$bin" "$root" >"$results.tmp"
mv "$results.tmp" "$results"
echo "run_bench: wrote $results in $(cat "$scratch/elapsed") s" >&2
