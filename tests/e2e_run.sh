#!/bin/sh
# End-to-end: the command line, exit statuses, rejected.csv, manifest.json
# and publication, on the real binary.
set -u
bin=$1
. tests/lib.sh
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
only="--only workbook"

# The sample: every record accepted, exit 0, a symbolic link published.
expect_exit "sample --year 2001 exits 0" 0 "$bin" --year 2001 --output "$t/o"
check "LABEL is a link to a run folder" test -L "$t/o/2001"
check "manifest matches files and input" \
    $PY tests/check_manifest.py "$t/o/2001" input/projects.csv 50 0 2001
check "rejected.csv is the header alone" \
    sh -c "[ \$(wc -l < '$t/o/2001/rejected.csv') -eq 1 ]"
check "one brief per 2001 project" \
    sh -c "[ \$(ls '$t/o/2001/briefs' | wc -l) -eq 10 ]"
expect_exit "range label" 0 "$bin" --year 2001-2003 --output "$t/o" $only
check "range manifest" \
    $PY tests/check_manifest.py "$t/o/2001-2003" input/projects.csv 50 0 2001-2003
expect_exit "all years" 0 "$bin" --output "$t/o" $only
check "all manifest" $PY tests/check_manifest.py "$t/o/all" input/projects.csv 50 0

# Known bad records: exit 65, exact lines in rejected.csv and on stderr.
# (14 of 20 rejected: a night that is withheld unless told otherwise.)
expect_exit "bad records exit 65" 65 \
    "$bin" --input tests/data/bad_records.csv --output "$t/b" $only \
    --max-rejected 100%
check "rejected.csv lines and columns" $PY tests/check_rejects.py \
    "$t/b/all/rejected.csv" tests/data/bad_records.expected \
    tests/data/bad_records.csv
check "bad manifest counts and total" $PY tests/check_manifest.py \
    "$t/b/all" tests/data/bad_records.csv 6 14
"$bin" --input tests/data/bad_records.csv --output "$t/b2" $only \
    --max-rejected 100% 2>"$t/err"
check "one stderr line per rejected record" sh -c \
    "[ \$(grep -c '^iomreport: tests/data/bad_records.csv:[0-9]*: [^:]*: ' '$t/err') -eq 14 ]"
check "the dates that cannot be read: one warning each, records kept" sh -c \
    "grep -qx \"iomreport: warning: tests/data/bad_records.csv:16: Start Date: '2001-13-01' has a month outside 01-12; shown as given\" '$t/err' &&
     grep -qx \"iomreport: warning: tests/data/bad_records.csv:17: Start Date: '2001-02-30' has a day that is not in its month; shown as given\" '$t/err' &&
     grep -qx \"iomreport: warning: tests/data/bad_records.csv:18: End Date: '2002-12' is before Start Date '2003'; shown as given\" '$t/err' &&
     [ \$(grep -c '^iomreport: warning: tests/data/bad_records.csv:[0-9]' '$t/err') -eq 3 ]"
check "stderr names line 14 Year" \
    grep -q "^iomreport: tests/data/bad_records.csv:14: Year: '1950' is outside 1951-2100$" "$t/err"
expect_exit "--strict with rejects exits 65" 65 \
    "$bin" --strict --input tests/data/bad_records.csv --output "$t/s"
check "--strict writes nothing" sh -c "[ ! -e '$t/s/all' ]"
expect_exit "stray quote rejects one record" 65 \
    "$bin" --input tests/data/stray_quote.csv --output "$t/q" $only
check "stray quote keeps the valid records" $PY tests/check_manifest.py \
    "$t/q/all" tests/data/stray_quote.csv 3 1

# A quote left open until the end of the file rejects its line alone.
expect_exit "unterminated quote rejects its record" 65 \
    "$bin" --input tests/data/bad_unterminated_quote.csv --output "$t/u" $only
check "unterminated quote keeps the records before and after" $PY \
    tests/check_manifest.py "$t/u/all" tests/data/bad_unterminated_quote.csv 2 2

# Files that cannot be read as CSV: 66 and nothing written.
for f in empty bad_header_missing_budget; do
    expect_exit "$f exits 66" 66 "$bin" --input "tests/data/$f.csv" --output "$t/n"
done
expect_exit "missing input exits 66" 66 "$bin" --input "$t/nope.csv" --output "$t/n"
expect_exit "folder as input exits 66" 66 "$bin" --input tests --output "$t/n"
check "unreadable inputs write nothing" sh -c "[ ! -e '$t/n' ] || [ -z \"\$(ls -A '$t/n')\" ] || ! ls '$t/n'/all >/dev/null 2>&1"

# Good variants of the format.
for f in good_minimal good_bom_crlf quoting_edge money_edge dates_edge \
         pipe_states unknown_column hostile_ids; do
    expect_exit "$f exits 0" 0 "$bin" --input "tests/data/$f.csv" \
        --output "$t/g-$f" --only workbook
done
expect_exit "standard input" 0 sh -c "'$bin' --input - --output '$t/in' $only < input/projects.csv"
check "standard input manifest" $PY tests/check_manifest.py "$t/in/all" input/projects.csv 50 0

# Hostile IDs: every brief lands inside briefs/ under a distinct safe name.
expect_exit "hostile IDs render" 0 "$bin" --input tests/data/hostile_ids.csv \
    --output "$t/h" --only briefs
records=$($PY -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1])))) - 1)' tests/data/hostile_ids.csv)
check "one brief per hostile ID, all inside briefs/" sh -c \
    "[ \$(ls '$t/h/all/briefs' | wc -l) -eq $records ] &&
     [ \$(find '$t/h' -name '*.pdf' | wc -l) -eq $records ]"
check "brief names are safe and at most 100 bytes" sh -c \
    "ls '$t/h/all/briefs' | awk 'length(\$0) > 100 || !/^[A-Za-z0-9_][A-Za-z0-9._-]*[.]pdf\$/ { bad = 1 } END { exit bad }'"
check "nothing written outside the output folder" sh -c \
    "[ ! -e /tmp/x.pdf ] && [ ! -e '$t/etc' ] && [ ! -e '$t/h/etc' ]"
check "a/b and a_b get different briefs" sh -c \
    "ls '$t/h/all/briefs' | grep -qx 'a_b.pdf' && ls '$t/h/all/briefs' | grep -qx 'a_b_2.pdf'"

# Dry run: totals on stdout, nothing written.
"$bin" --dry-run --year 2001 --output "$t/d" > "$t/dry" 2>&1
check "dry run prints the total" grep -q "^Total budget: USD 898,475.50$" "$t/dry"
check "dry run writes nothing" sh -c "[ ! -e '$t/d' ]"
"$bin" --dry-run --region africa --type 'migration POLICY activities' \
    --output "$t/d" > "$t/dry-names" 2>&1
check "filters are echoed as the data spells them" grep -qx \
    "Selection: All years; IDF Region: Africa; Project Type: Migration Policy Activities" \
    "$t/dry-names"
"$bin" --dry-run --region afrika --output "$t/d" > "$t/dry-typo" 2>&1
check "a filter no record has stays as typed, and what the input holds is named" \
    grep -q "^iomreport: no project matches --region 'afrika'; regions in the input: Africa, " \
    "$t/dry-typo"
check "dry run: every Total row says 100.0 %" sh -c \
    "[ \$(grep -c '^Total .* 100.0 %\$' '$t/dry') -eq 3 ]"
check "dry run: a note under every share column" sh -c \
    "[ \$(grep -cx 'Rounded shares may not add up to exactly 100.0 %.' '$t/dry') -eq 3 ]"

# Command line.
expect_exit "--help exits 0" 0 "$bin" --help
check "--help lists exit statuses" sh -c "'$bin' --help | grep -q '^  75 '"
check "--version" sh -c "'$bin' --version | grep -q '^iomreport [0-9]'"
for args in "--year 1900" "--year 2005-2001" "--year abc" "--bogus" \
            "--label ../x" "--only pdf" "--jobs 0" "extra"; do
    expect_exit "usage: $args" 64 "$bin" $args
done
"$bin" --year abc 2>"$t/usage"
check "usage error names the option and points to --help" \
    sh -c "grep -q \"invalid --year 'abc'\" '$t/usage' && grep -q \"Try 'iomreport --help'\" '$t/usage'"
expect_exit "bad SOURCE_DATE_EPOCH" 64 env SOURCE_DATE_EPOCH=yesterday "$bin" --dry-run

# Output folder problems.
expect_exit "uncreatable output folder exits 73" 73 \
    "$bin" --output /dev/null/x $only
mkdir -p "$t/l"
# flock(1) holds the lock until told to let go: a run exits 75 meanwhile;
# one with --wait reaches its waiting point, then publishes.
mkfifo "$t/held" "$t/release"
flock "$t/l/.all.lock" sh -c "echo held > '$t/held'; read x < '$t/release'" &
holder=$!
check "flock(1) holds the lock" test "$(timeout 60 head -n 1 "$t/held")" = held
expect_exit "locked output folder exits 75" 75 "$bin" --output "$t/l" $only
pause_at waiting-for-lock "$t/fw" "$bin" --output "$t/l" --wait=60 $only
check "--wait waits for the lock" test "$pause_got" = waiting-for-lock
waiter=$paused_pid
resume "$t/fw"
echo go > "$t/release"
wait $holder
wait $waiter
got=$?
check "and publishes once it is free (exit $got)" test $got -eq 0

# Publication keeps --keep run folders and leaves no staging behind.
for i in 1 2 3; do "$bin" --output "$t/k" $only 2>/dev/null; done
check "two run folders kept" sh -c "[ \$(ls -d '$t/k'/.all.run-* | wc -l) -eq 2 ]"
# A killed run's staging folder carries the marker (see publish.h); one
# without it is not ours and stays.
mkdir "$t/k/.all.staging-99999" "$t/k/.all.staging-99998"
printf 'all\n9\n' > "$t/k/.all.staging-99999/.iomreport-run"
"$bin" --output "$t/k" $only
check "leftover staging removed" sh -c "[ ! -e '$t/k/.all.staging-99999' ]"
check "an unmarked folder of that name stays" test -d "$t/k/.all.staging-99998"

# Reproducible dates.
SOURCE_DATE_EPOCH=1000000000 "$bin" --output "$t/r" $only
check "manifest date from SOURCE_DATE_EPOCH" \
    grep -q '"created": "2001-09-09T01:46:40Z"' "$t/r/all/manifest.json"

finish e2e_run
