#!/bin/sh
# End-to-end: every valid record reaches every output whatever the input's
# size or shape (unbalanced quotes, empty rows, long text, colliding or
# reserved IDs), and every failure says in one line what failed.
set -u
bin=$1
. tests/lib.sh
scratch e2e_reach
t=$tmp

# Messages that quote input stay one line of plain text.
"$bin" --input tests/data/control_chars.csv --output "$t/cc" \
    --only workbook 2>"$t/cc.err"
check "control characters: one line per message" sh -c \
    "[ \$(wc -l < '$t/cc.err') -eq 4 ]"
check "control characters: escaped, never raw" sh -c \
    "! LC_ALL=C grep -q \"\$(printf '[\\001-\\010\\013-\\037\\177]')\" '$t/cc.err' &&
     grep -qF \"'x\\\\x1b[31m' is not\" '$t/cc.err' &&
     grep -qF \"'12\\\\r\\\\n34' is not\" '$t/cc.err' &&
     grep -qF \"'1\\\\u009b2\\\\x7f' is not\" '$t/cc.err'"

# An unbalanced quote: its line is rejected, and so is every line its
# quote swallows (lines 3..102, up to the quote that closes it), each
# naming line 2, however much it looks like a record; the record after
# the span is kept.  (101 of 102 rejected: let through to see it.)
expect_exit "unbalanced quote: exit 65" 65 "$bin" \
    --input tests/data/unbalanced_quote.csv --output "$t/uq" \
    --max-rejected 100% --allow-shrink
check "unbalanced quote: P102 accepted, P1 and its span rejected" $PY \
    tests/check_manifest.py "$t/uq/all" tests/data/unbalanced_quote.csv 1 101
check "unbalanced quote: one brief, P1 on line 2 and its 100 lines" sh -c \
    "[ \$(ls '$t/uq/all/briefs' | wc -l) -eq 1 ] &&
     [ -f '$t/uq/all/briefs/P102.pdf' ] &&
     [ \$(grep -c '^2,(record),\"unbalanced quote' '$t/uq/all/rejected.csv') -eq 1 ] &&
     [ \$(grep -c '^[0-9]*,(record),\"inside the quoted text of the broken record on line 2' '$t/uq/all/rejected.csv') -eq 100 ]"
check "unbalanced quote: the summary lists P102 alone" sh -c \
    "pdftotext -layout '$t/uq/all/summary.pdf' - | grep -c ' P[0-9]* ' |
     grep -qx 1"

# Text longer than libharu takes in one string is drawn whole, in pieces.
$PY tests/data/make_long_text.py "$t/long.csv"
expect_exit "long text: every record rendered, exit 0" 0 "$bin" \
    --input "$t/long.csv" --output "$t/lt"
# (a row's first line ends with its year and budget; a row run over pages
# names its project again on each)
check "long text: four briefs, four summary rows" sh -c \
    "[ \$(ls '$t/lt/all/briefs' | wc -l) -eq 4 ] &&
     [ \$(pdftotext -layout '$t/lt/all/summary.pdf' - 2>/dev/null |
         grep -cE ' LT-[A-Z]* .* 2001 +1,000[.]00\$') -eq 4 ]"
# (the running bands of the continuation pages, which repeat the title's
# start, left out)
check "long text: the 10,000 words of the title, in order" sh -c \
    "pdftotext -raw '$t/lt/all/briefs/LT-TITLE.pdf' - 2>/dev/null |
     grep -v 'IOM Development Fund · Project Brief · LT-TITLE · ' |
     tr '\n' ' ' | grep -o 'Word[0-9]*' | uniq | awk '\$0 != sprintf(\"Word%05d\", NR - 1) { exit 1 } END { exit NR != 10000 }'"
check "long text: the 200,000 characters of the unbroken description" sh -c \
    "[ \$(pdftotext '$t/lt/all/briefs/LT-UNBROKEN.pdf' - 2>/dev/null |
         grep -E '^[a-j]+\$' | tr -d '\n' | wc -c) -eq 200000 ]"
# pdftotext drops glyphs stacked on one spot, so the marks are counted in
# the page's content (tests/count_glyphs.py).
check "long text: 'e' and its 100,000 combining marks all drawn" sh -c \
    "qpdf --qdf --object-streams=disable '$t/lt/all/briefs/LT-COMBINING.pdf' '$t/c.pdf' &&
     [ \$($PY tests/count_glyphs.py '$t/c.pdf') -ge 100001 ]"

# Rows of empty fields are skipped like blank lines.
expect_exit "empty rows: skipped, exit 0" 0 "$bin" \
    --input tests/data/empty_rows.csv --output "$t/er" --only workbook
check "empty rows: both records kept, none rejected" $PY \
    tests/check_manifest.py "$t/er/all" tests/data/empty_rows.csv 2 0

# IDs that are Windows device names get briefs Windows accepts.
expect_exit "windows IDs: exit 0" 0 "$bin" \
    --input tests/data/windows_ids.csv --output "$t/w" --only briefs
check "windows IDs: no device names among the briefs" sh -c \
    "[ \$(ls '$t/w/all/briefs' | wc -l) -eq 7 ] &&
     ! ls '$t/w/all/briefs' | grep -Eiq '^(con|prn|aux|nul|com[0-9]|lpt[0-9]) *([.]|\$)'"

# Out of memory is never silent: under tight address-space limits every
# failing run says, in one line, what failed.  (ASan reserves terabytes of
# address space: no limit for its builds.)
if [ -n "${IOM_SANITIZED:-}" ] || nm -an "$bin" 2>/dev/null | grep -q __asan_init; then
    echo "e2e_reach: out-of-memory checks skipped (sanitizer build)"
else
    # Every limit from where the input can be read to where the whole
    # run goes through, 128 KiB apart, with one worker and with two (which
    # fail alike, and say it once): exactly one line, no library's own
    # ("[ERROR] ..."), exit 71, or 128 + N for a library that crashes on
    # a failed allocation (libxlsxwriter 1.1.4 may).
    oom=0
    for j in 1 2; do
        kb=30720
        while [ "$kb" -lt 61440 ]; do
            rm -rf "$t/oom"
            prlimit --as=$((kb * 1024)) -- "$bin" -j "$j" --no-progress \
                --output "$t/oom" >/dev/null 2>"$t/oom.err"
            rc=$?
            [ "$rc" -eq 0 ] && break
            [ "$rc" -eq 71 ] && oom=$((oom + 1))
            if [ "$rc" -eq 127 ]; then
                : # the loader could not map a library: not the run's
            elif [ "$rc" -ne 71 ] && [ "$rc" -lt 128 ] ||
                 [ "$(wc -l <"$t/oom.err")" -ne 1 ] ||
                 grep -q '^\[' "$t/oom.err"; then
                bad "--as=${kb}K -j $j: exit $rc, $(wc -l <"$t/oom.err") lines: $(head -c 300 "$t/oom.err")"
            else
                ok
            fi
            kb=$((kb + 128))
        done
        check "-j $j: the whole run goes through below 60 MiB" test "$rc" -eq 0
    done
    check "out of memory: exit 71 with its message" sh -c \
        "[ $oom -ge 1 ] &&
         prlimit --as=30000000 -- '$bin' --year 2001 --output '$t/oom' 2>&1 |
         grep -q '^iomreport: out of memory while reading input/projects.csv\$'"
fi

finish e2e_reach
