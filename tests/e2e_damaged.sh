#!/bin/sh
# End-to-end: a damaged night never goes out.  An export in another
# encoding is read as a file, not rejected record by record; a night that
# lost most of its records, or most of its projects, publishes and mails
# nothing and says so in one line; a broken quote never invents a project;
# a night of only known rejects is silent.  The previous published run
# always stays.
set -u
bin=$1
. tests/lib.sh
scratch e2e_damaged
root=$(pwd)
export SOURCE_DATE_EPOCH=1000000000
w="--only summary,workbook"

# lines FILE: its number of lines.
lines() {
    wc -l <"$1" | tr -d ' '
}
# summary_text RUN: the summary's text, on one line per text line.
summary_text() {
    pdftotext -layout "$1/summary.pdf" - 2>/dev/null
}

# --- The encoding is the file's, decided once -----------------------------
# The sample saved by Excel in Windows-1252, run as cron runs it with mail:
# every record read, the whole 2001 portfolio published and mailed, one
# line that says how the file was read, and the Data and definitions too.
"$bin" --input tests/data/cp1252_excel.csv --year 2001 -o "$tmp/cp" \
    --outbox "$tmp/cp-box" $w 2>"$tmp/err"
rc=$?
check "cp1252 export: exit 0 and one line saying Windows-1252" sh -c \
    "[ $rc -eq 0 ] && [ $(lines "$tmp/err") -eq 1 ] &&
     grep -q '^iomreport: warning: tests/data/cp1252_excel.csv: read as Windows-1252' '$tmp/err'"
summary_text "$tmp/cp/2001" >"$tmp/cp.txt"
check "cp1252 export: the summary has the 10 projects and USD 898,475.50" \
    grep -Eq '^ *10 +898,475\.50 ' "$tmp/cp.txt"
check "cp1252 export: Data and definitions names the encoding" \
    grep -q 'Windows-1252: the file is not UTF-8' "$tmp/cp.txt"
# The same messages, with the same figures, as the UTF-8 original's run
# writes (read record by record, the export mailed 4 projects and USD
# 298,850.00 for 2001).
"$bin" --input input/projects.csv --year 2001 -o "$tmp/utf8" \
    --outbox "$tmp/utf8-box" $w 2>/dev/null
# Each message's lines of figures, sorted.
for box in cp utf8; do
    cat "$tmp/$box-box"/*.eml | grep -a '^Projects' | sort >"$tmp/$box.figures"
done
check "cp1252 export: every stakeholder's message, with the figures of the UTF-8 file" \
    sh -c "[ \$(ls '$tmp/cp-box' | wc -l) -eq \$(ls '$tmp/utf8-box' | wc -l) ] &&
           [ -s '$tmp/utf8.figures' ] &&
           cmp -s '$tmp/cp.figures' '$tmp/utf8.figures' &&
           grep -q '^Projects: 10, total budget USD 898,475.50' '$tmp/cp.figures'"
"$bin" --input tests/data/cp1252_excel.csv --year 2001 -o "$tmp/cp" $w \
    2>"$tmp/err"
rc=$?
check "cp1252 export, second night: exit 0 and silent" sh -c \
    "[ $rc -eq 0 ] && [ ! -s '$tmp/err' ]"

# Neither UTF-8 nor Windows-1252: refused before anything, in one line.
"$bin" --input tests/data/cp1252_undefined_byte.csv -o "$tmp/undef" \
    --outbox "$tmp/undef-box" $w 2>"$tmp/err"
rc=$?
check "neither UTF-8 nor Windows-1252: exit 66, one line, nothing made" \
    sh -c "[ $rc -eq 66 ] && [ $(lines "$tmp/err") -eq 1 ] &&
           grep -q 'neither UTF-8' '$tmp/err' && [ ! -e '$tmp/undef/all' ] &&
           [ -z \"\$(ls '$tmp/undef-box' 2>/dev/null)\" ]"

# --encoding cp1252 on valid UTF-8 would publish "CÃ´te dâ€™Ivoire".
"$bin" --input input/projects.csv --encoding cp1252 -o "$tmp/moji" $w \
    2>"$tmp/err"
rc=$?
check "--encoding cp1252 on UTF-8: exit 66, one line, nothing published" \
    sh -c "[ $rc -eq 66 ] && [ $(lines "$tmp/err") -eq 1 ] &&
           grep -q 'would misread this file: it is valid UTF-8' '$tmp/err' &&
           [ ! -e '$tmp/moji/all' ]"
expect_exit "--encoding UTF-8 on UTF-8 is no mistake" 0 "$bin" \
    --input input/projects.csv --encoding UTF-8 --dry-run

# --- A night that lost most of its records does not go out ---------------
# csv_rows FILE: its records, the header not counted.
csv_rows() {
    $PY -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""))))-1)' "$1"
}
# manifest_sha RUN: the digest of RUN's manifest (the run that stands).
manifest_sha() {
    sha256sum "$1/manifest.json" | cut -d' ' -f1
}
"$bin" -o "$tmp/lost" $w 2>/dev/null
before=$(manifest_sha "$tmp/lost/all")
"$bin" --input tests/data/mostly_rejected.csv -o "$tmp/lost" \
    --outbox "$tmp/lost-box" $w 2>"$tmp/err"
rc=$?
check "30 of 50 rejected: exit 65, nothing published or mailed, one line" \
    sh -c "[ $rc -eq 65 ] && [ \$(grep -vc ':[0-9]*: Budget' '$tmp/err') -eq 1 ] &&
           grep -q '^iomreport: 30 of 50 records rejected (60.0 %), more than the 10.0 % allowed.*: nothing published, nothing mailed; the previous run stays; the rejected records are listed in $tmp/lost/.all.rejected.csv' '$tmp/err' &&
           [ -z \"\$(ls '$tmp/lost-box' 2>/dev/null)\" ]"
check "30 of 50 rejected: the previous run stays" \
    [ "$(manifest_sha "$tmp/lost/all")" = "$before" ]
check "30 of 50 rejected: the 30 are listed beside the label" \
    [ "$(csv_rows "$tmp/lost/.all.rejected.csv")" -eq 30 ]
expect_exit "an operator's --max-rejected 100% lets it out (65)" 65 "$bin" \
    --input tests/data/mostly_rejected.csv -o "$tmp/lost" \
    --max-rejected 100% --allow-shrink $w
check "--max-rejected 100%: published" \
    [ "$(manifest_sha "$tmp/lost/all")" != "$before" ]
"$bin" --input tests/data/stray_quote.csv -o "$tmp/max1" \
    --max-rejected 0 $w 2>"$tmp/err"
rc=$?
check "--max-rejected 0: one reject withholds the night" sh -c \
    "[ $rc -eq 65 ] && grep -q 'more than the 0 --max-rejected allows' '$tmp/err' &&
     [ ! -e '$tmp/max1/all' ]"
expect_exit "a few bad rows still go out (stray_quote: 1 of 4)" 65 "$bin" \
    --input tests/data/stray_quote.csv -o "$tmp/few" $w
check "a few bad rows: published" test -f "$tmp/few/all/summary.pdf"
expect_exit "--max-rejected 10 percent, spelt wrong: usage" 64 "$bin" \
    --max-rejected 10pc --dry-run

# --- An input cut short is not a portfolio --------------------------------
"$bin" -o "$tmp/cut" $w 2>/dev/null
before=$(manifest_sha "$tmp/cut/all")
sh -c 'cat tests/data/truncated_export.csv; kill -9 $$' 2>/dev/null |
    "$bin" --input - -o "$tmp/cut" --outbox "$tmp/cut-box" $w 2>"$tmp/err"
rc=$?
check "a pipe cut short: exit 65, one line, nothing published or mailed" \
    sh -c "[ $rc -eq 65 ] &&
           grep -q '^iomreport: 22 projects where the previous run had 50 (the input may be cut short; --allow-shrink if it is meant): nothing published, nothing mailed; the previous run stays' '$tmp/err' &&
           [ \$(grep -c 'projects where' '$tmp/err') -eq 1 ] &&
           [ -z \"\$(ls '$tmp/cut-box' 2>/dev/null)\" ] &&
           [ '$(manifest_sha "$tmp/cut/all")' = '$before' ]"
expect_exit "--allow-shrink publishes it (65: its cut last record)" 65 \
    "$bin" --input tests/data/truncated_export.csv -o "$tmp/cut" \
    --allow-shrink $w
check "--allow-shrink: the 22 projects are published" \
    grep -q '"selected": 22' "$tmp/cut/all/manifest.json"

# --- A broken quote never invents a project -------------------------------
"$bin" --input tests/data/broken_quote_span.csv -o "$tmp/span" $w \
    2>"$tmp/err"
rc=$?
check "broken quote: exit 65, the phantom's line rejected naming line 3" \
    sh -c "[ $rc -eq 65 ] &&
     grep -qx 'iomreport: tests/data/broken_quote_span.csv:4: (record): inside the quoted text of the broken record on line 3, not read as a record' '$tmp/err' &&
     grep -q ':5: (record): inside the quoted text of the broken record on line 3' '$tmp/err' &&
     ! grep -q ':6:' '$tmp/err'"
check "broken quote: the total is the two real projects' 400.00" \
    grep -q '"cents": 40000,' "$tmp/span/all/manifest.json"
# workbook_ids XLSX: the IDs of its Projects sheet, one a line, sorted.
workbook_ids() {
    $PY - "$1" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Projects"]
ids = (r[0] for r in ws.iter_rows(min_row=2, values_only=True))
print("\n".join(sorted(i for i in ids if i and i != "Total")))
PYEOF
}
check "broken quote: FAKE-2 is in rejected.csv" grep -q '^4,.*FAKE-2' \
    "$tmp/span/all/rejected.csv"
check "broken quote: the workbook holds OK-1 and OK-3 only" \
    [ "$(workbook_ids "$tmp/span/all/rollup.xlsx" | tr '\n' ' ')" = "OK-1 OK-3 " ]

# --- Every record rejected: the list is still written ---------------------
"$bin" --input tests/data/all_rejected.csv -o "$tmp/none" $w 2>"$tmp/err"
rc=$?
check "every record rejected: exit 65, nothing published, the list named" \
    sh -c "[ $rc -eq 65 ] && [ ! -e '$tmp/none/all' ] &&
     grep -q '^iomreport: all 3 records rejected: nothing published; the rejected records are listed in $tmp/none/.all.rejected.csv' '$tmp/err' &&
     [ \$(tail -n +2 '$tmp/none/.all.rejected.csv' | wc -l) -eq 3 ]"

finish e2e_damaged
