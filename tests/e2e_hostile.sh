#!/bin/sh
# End-to-end: the hostile corpus (tests/data/hostile/EXPECTED).  Every case
# must end with its exit status and message, with no sanitizer report,
# within 60 s and (except in sanitizer builds) 512 MiB of address space,
# and lose no valid record (IDs "OK-...") next to a bad one.
set -u
bin=$1
. tests/lib.sh
dir=tests/data/hostile
t=$(mktemp -d)
writer=
trap 'rm -rf "$t"; [ -z "$writer" ] || kill "$writer" 2>/dev/null' EXIT
IOMREPORT_FONTS=$(pwd)/fonts
export IOMREPORT_FONTS

# ASan reserves terabytes of address space: no --as limit for its builds.
if [ -n "${IOM_SANITIZED:-}" ] || nm -an "$bin" 2>/dev/null | grep -q __asan_init; then
    limit=
else
    limit="prlimit --as=536870912 --"
fi

header="Projects ID,Title,Start Date,End Date,Project Status,Project Type,Budget Amount (USD),Coverage,Year,IDF Region,Benefiting Member States,Description,Prima ID"
# valid_row ID: one valid record.
valid_row() {
    printf '%s,Title,2001,2001,Completed,Labour Migration,1000.00,Regional,2001,Africa,Belize,Text,\n' "$1"
}

lf='
'
# repeat CHAR N: CHAR N times, written a MiB at a time (head | tr moves
# every byte through a pipe and a loop: seconds for the 600 MiB case).
repeat() {
    $PY -c '
import sys
c, n = sys.argv[1].encode(), int(sys.argv[2])
block, out = c * (1 << 20), sys.stdout.buffer
for _ in range(n >> 20):
    out.write(block)
out.write(c * (n & ((1 << 20) - 1)))' "$1" "$2"
}

# make_case NAME: makes the input of case NAME: $input is the path given
# to --input, $content a regular file with the same bytes ("" when none).
make_case() {
    f=$t/$1.csv
    input=$f
    content=$f
    case $1 in
    @directory) mkdir -p "$t/folder"; input=$t/folder; content= ;;
    @devnull) input=/dev/null; content= ;;
    @fifo|@fifo-no-writer)
        input=$t/$1.fifo
        mkfifo "$input"
        { echo "$header"; valid_row OK-1; valid_row OK-2; } > "$f"
        [ "$1" = @fifo ] || content= ;;
    @field-100mib)
        { echo "$header"; valid_row OK-1
          printf 'BAD-1,Big,2001,2001,,,1,,2001,,,"'
          repeat y 104857600
          printf '",\n'; valid_row OK-2; } > "$f" ;;
    @unbalanced-quote)
        # The lines the quote swallows are its text, however they look:
        # rejected, never records; the record after the quote's span is
        # kept.
        { echo "$header"; valid_row OK-1
          printf 'BAD-1,T,2001,2001,,,1,,2001,,,"He said ""hello"" and left,\n'
          for i in $(seq 2 100); do valid_row "IN-$i"; done
          printf 'IN-101,T,2001,2001,,,1,,2001,,,"quoted",\n'
          valid_row OK-102; } > "$f" ;;
    @spaces-600mib)
        { echo "$header"; valid_row OK-1
          printf 'BAD-1,'
          repeat ' ' 629145600
          printf 'x,2001,2001,,,1,,2001,,,,\n'; valid_row OK-2; } > "$f" ;;
    @header-100000-columns)
        { printf '%s' "$header"
          seq 14 100000 | sed 's/^/,c/' | tr -d '\n'; echo
          valid_row OK-1; } > "$f" ;;
    @million-empty-lines)
        { echo "$header"; valid_row OK-1
          repeat "$lf" 1000000
          echo 'BAD-1,Title,,,,,abc,,2001,,,,'; valid_row OK-2; } > "$f" ;;
    @total-overflow)
        { echo "Projects ID,Title,Budget Amount (USD),Year"
          seq 1 92234 | sed 's/.*/X-&,T,1000000000000.00,2001/'; } > "$f" ;;
    esac
}

# run_case NAME INPUT OUT: run the binary, exit status in $got and
# standard error in $t/err.
run_case() {
    case $1 in
    @fifo)
        cat "$content" > "$2" &
        writer=$!
        timeout 60 $limit "$bin" --input "$2" --output "$3" 2>"$t/err"
        got=$?
        # A run that never opened the FIFO leaves the writer blocked.
        kill "$writer" 2>/dev/null
        wait "$writer"
        writer= ;;
    @fifo-no-writer)
        timeout -k 5 --preserve-status 2 $limit "$bin" --input "$2" \
            --output "$3" 2>"$t/err"
        got=$? ;;
    @unbalanced-quote)
        timeout 60 $limit "$bin" --input "$2" --output "$3" \
            --max-rejected 100% 2>"$t/err"
        got=$? ;;
    *)
        timeout 60 $limit "$bin" --input "$2" --output "$3" 2>"$t/err"
        got=$? ;;
    esac
}

# manifest_count RUN KEY: counts.KEY of RUN/manifest.json.
manifest_count() {
    sed -n "s/^ *\"$2\": \([0-9]*\),*$/\1/p" "$1/manifest.json"
}

# ok_ids FILE: the IDs of FILE's OK- records.  Only the start of each line
# is looked at: grep would hold a whole 600 MiB line in memory to match it,
# seconds of page faults per call.
ok_ids() {
    LC_ALL=C cut -c1-200 "$1" | LC_ALL=C grep -a '^OK-' | cut -d, -f1
}

# check_kept RUN IDS WANT: every record of IDS published with its brief;
# nothing lost.
check_kept() {
    run=$1
    ok=$2
    want=$3
    [ -f "$run/manifest.json" ] || { echo "no manifest.json"; return 1; }
    acc=$(manifest_count "$run" accepted)
    rej=$(manifest_count "$run" rejected)
    recs=$(manifest_count "$run" records)
    if [ "$want" -eq 0 ]; then
        [ "$rej" -eq 0 ] && [ "$acc" -eq "$recs" ] ||
            { echo "accepted $acc, rejected $rej of $recs"; return 1; }
    else
        [ "$acc" -eq "$(echo "$ok" | grep -c .)" ] && [ "$rej" -ge 1 ] ||
            { echo "accepted $acc, rejected $rej: expected every OK- and no other"; return 1; }
    fi
    [ "$(ls "$run/briefs" | wc -l)" -eq "$acc" ] ||
        { echo "$(ls "$run/briefs" | wc -l) briefs for $acc records"; return 1; }
    for id in $ok; do
        [ -f "$run/briefs/$id.pdf" ] || { echo "no brief $id.pdf"; return 1; }
    done
}

n=0
tab=$(printf '\t')
grep -v '^#' "$dir/EXPECTED" > "$t/cases"
while IFS=$tab read -r name want regex what; do
    n=$((n + 1))
    out=$t/out-$n
    case $name in
    @*) make_case "$name" ;;
    *) input=$dir/$name; content=$input ;;
    esac
    run_case "$name" "$input" "$out" </dev/null
    problems=
    [ "$got" -eq 124 ] && problems="$problems; timed out after 60 s"
    [ "$got" -eq "$want" ] || problems="$problems; exit $got, expected $want"
    if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:|out of memory' "$t/err"; then
        problems="$problems; sanitizer report or out of memory"
    fi
    if [ "$regex" = - ]; then
        [ -s "$t/err" ] && problems="$problems; stderr not empty"
    elif ! grep -Eq -- "$regex" "$t/err"; then
        problems="$problems; stderr does not match /$regex/"
    fi
    ids=
    [ -z "$content" ] || ids=$(ok_ids "$content")
    if [ "$want" -eq 0 ] || [ "$want" -eq 65 ] && [ -n "$ids" ]; then
        why=$(check_kept "$out/all" "$ids" "$want") || problems="$problems; $why"
    elif [ "$want" -ne 0 ] && [ "$want" -ne 65 ] && [ -e "$out/all" ]; then
        problems="$problems; outputs published"
    fi
    if [ -z "$problems" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "not ok: $name ($what)${problems}"
        sed 's/^/    stderr: /' "$t/err" | head -c 2000
    fi
    case $name in @*) rm -f "$t/$name.csv" ;; esac
done < "$t/cases"

# Hostile IDs: every PDF inside briefs/ under a safe, distinct name.
h=$t/out-$(grep -n '^hostile_ids.csv' "$t/cases" | cut -d: -f1)/all
check "hostile IDs: no file outside the run folder" sh -c \
    "[ \$(find '$t' -name '*.pdf' ! -path '*/briefs/*' ! -name summary.pdf ! -name book.pdf | wc -l) -eq 0 ]"
check "hostile IDs: brief names safe and at most 100 bytes" sh -c \
    "ls '$h/briefs' | awk 'length(\$0) > 100 || !/^[A-Za-z0-9_][A-Za-z0-9._-]*[.]pdf\$/ { bad = 1 } END { exit bad }'"
check "hostile IDs: names distinct ignoring case" sh -c \
    "[ \$(ls '$h/briefs' | tr A-Z a-z | sort -u | wc -l) -eq \$(ls '$h/briefs' | wc -l) ]"

# Formula-like text stays text in the workbook.
f=$t/out-$(grep -n '^formula_text.csv' "$t/cases" | cut -d: -f1)/all
check "formula-like text: text cells, not formulas" $PY -c '
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
texts, bad = set(), []
for ws in wb:
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f" and any(k in str(c.value)
                                         for k in ("HYPERLINK", "cmd", "A1")):
                bad.append(c.coordinate)
            elif isinstance(c.value, str):
                texts.add(c.value)
want = {"=HYPERLINK(\"http://example.com\",\"click\")", "+cmd", "@SUM(A1)"}
sys.exit(1 if bad or not want <= texts else 0)' "$f/rollup.xlsx"

echo "e2e_hostile: $n cases, limits: ${limit:-timeout only (sanitizer build)}"
finish e2e_hostile
