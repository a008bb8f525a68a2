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
check "cp1252 export: the stakeholders' messages are written" \
    sh -c "[ \$(ls '$tmp/cp-box' | wc -l) -ge 1 ]"
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

finish e2e_damaged
