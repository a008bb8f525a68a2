#!/bin/sh
# End-to-end: real-world exports.  Excel on Windows saves Windows-1252:
# the file is read as such, said in one line, and --encoding reads it
# (also from standard input), line numbers unchanged.  European Excel separates fields with
# ';', other exports with tab: found from the header, or --delimiter.
set -u
bin=$1
. tests/lib.sh
scratch e2e_exports
w="--only workbook"

# Windows-1252 without --encoding: every record read, in one line that
# says how, and no record rejected for its bytes.
"$bin" --input tests/data/cp1252_excel.csv -o "$tmp/a" $w 2>"$tmp/err"
rc=$?
check "cp1252 without --encoding: exit 0, one line, read as Windows-1252" \
    sh -c "[ $rc -eq 0 ] && [ \$(wc -l <'$tmp/err') -eq 1 ] &&
     grep -q 'read as Windows-1252: 64 of its bytes are not UTF-8' '$tmp/err'"
"$bin" --input tests/data/utf8_one_latin1_byte.csv --dry-run >/dev/null \
    2>"$tmp/err"
check "a UTF-8 file with one bad byte: that record, and no such hint" sh -c \
    "grep -q ':3: Title: is not valid UTF-8' '$tmp/err' &&
     ! grep -q 'Windows-1252' '$tmp/err'"
expect_exit "--encoding cp1252 reads every record" 0 "$bin" \
    --input tests/data/cp1252_excel.csv --encoding cp1252 -o "$tmp/b" $w
"$bin" --input input/projects.csv -o "$tmp/u" $w 2>/dev/null
# same_run RUN INPUT: RUN's counts and total are those of the UTF-8
# original's run, and its input digest that of INPUT's bytes as given.
same_run() {
    $PY - "$1/manifest.json" "$tmp/u/all/manifest.json" "$2" <<'PYEOF'
import hashlib, json, sys
got, want = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
ok = (got["counts"] == want["counts"] and
      got["total_budget"] == want["total_budget"] and
      got["input"]["sha256"] ==
      hashlib.sha256(open(sys.argv[3], "rb").read()).hexdigest())
sys.exit(0 if ok else 1)
PYEOF
}
check "the converted records total as the UTF-8 original" \
    same_run "$tmp/b/all" tests/data/cp1252_excel.csv
check "read as Windows-1252 untold: the same run" \
    same_run "$tmp/a/all" tests/data/cp1252_excel.csv
"$bin" --input tests/data/cp1252_excel.csv --encoding cp1252 --year 2001 \
    -o "$tmp/b" --only briefs 2>/dev/null
for f in "$tmp/b/2001/briefs/"*.pdf; do pdftotext "$f" - 2>/dev/null; done \
    >"$tmp/briefs.txt"
check "accents survive the conversion (brief text)" grep -q 'é' "$tmp/briefs.txt"
expect_exit "--encoding from standard input" 0 sh -c \
    "'$bin' --input - --encoding cp1252 -o '$tmp/c' $w < tests/data/cp1252_excel.csv"
check "standard input: the same run" \
    same_run "$tmp/c/all" tests/data/cp1252_excel.csv
"$bin" --input tests/data/cp1252_bad_budget.csv --encoding cp1252 \
    -o "$tmp/d" $w 2>"$tmp/err"
check "line numbers are the file's after conversion" grep -qx \
    "iomreport: tests/data/cp1252_bad_budget.csv:5: Budget Amount (USD): 'abc' is not a decimal number" \
    "$tmp/err"
check "the rejected record is converted too" grep -q 'Bad budget é' \
    "$tmp/d/all/rejected.csv"
"$bin" --input tests/data/cp1252_undefined_byte.csv --encoding cp1252 \
    -o "$tmp/e" $w 2>"$tmp/err"
rc=$?
check "a byte the encoding lacks: 66, with its line" sh -c \
    "[ $rc -eq 66 ] && grep -qx 'iomreport: tests/data/cp1252_undefined_byte.csv:3: byte 0x81 is not cp1252' '$tmp/err'"
expect_exit "an encoding iconv does not know: 64" 64 "$bin" \
    --input tests/data/cp1252_excel.csv --encoding no-such-code-page --dry-run

# Memory stays bounded: 200 MiB from a pipe converted block by block,
# under a 512 MiB address-space limit (ASan's reservations cannot take one).
if nm -an "$bin" 2>/dev/null | grep -q __asan_init; then
    limit=
else
    limit="prlimit --as=536870912 --"
fi
blanks=$(printf '%01000d' 0 | tr 0 ' ')
{ printf 'Projects ID,Title,Budget Amount (USD),Year\r\nBIG-1,Caf\351,1.00,2001\r\n'
  yes "$blanks" | head -c 209715200; } |
    $limit "$bin" --input - --encoding cp1252 --dry-run >"$tmp/big.out" \
        2>"$tmp/big.err"
rc=$?
check "200 MiB of cp1252 from a pipe under 512 MiB (exit $rc)" sh -c \
    "[ $rc -eq 0 ] && grep -q 'Projects selected: 1' '$tmp/big.out'"

# send LABEL reads the input again with the encoding the run was made with
# (the manifest records it): the same messages as the run's own.
mail() {
    SOURCE_DATE_EPOCH=0 IOMREPORT_SMTP_URL=smtp://127.0.0.1:1 \
        IOMREPORT_MAIL_FROM=r@example.org "$bin" "$@" 2>>"$tmp/mail.err"
}
mail --input tests/data/cp1252_excel.csv --encoding cp1252 --year 2001 \
    -o "$tmp/m" --only summary --outbox "$tmp/ob1"
check "the manifest records the encoding" grep -q '"encoding": "cp1252"' \
    "$tmp/m/2001/manifest.json"
mail send 2001 -o "$tmp/m" --outbox "$tmp/ob2"
check "send LABEL of a cp1252 run: the run's messages, byte for byte" \
    same_messages "$tmp/ob1" "$tmp/ob2"

# Delimiters.
"$bin" --input tests/data/semicolon_excel.csv -o "$tmp/s" $w -v 2>"$tmp/err"
rc=$?
check "a semicolon export is read (exit $rc)" test "$rc" -eq 0
check "--verbose says ';' was used" grep -q \
    "semicolon_excel.csv: fields separated by ';' (semicolon)" "$tmp/err"
check "every record of the semicolon export (the sample's first ten)" \
    grep -q '"accepted": 10' "$tmp/s/all/manifest.json"
"$bin" --input tests/data/tab_export.tsv -o "$tmp/t" $w -v 2>"$tmp/err"
rc=$?
check "a tab export is read (exit $rc)" test "$rc" -eq 0
check "--verbose says tab was used" grep -q \
    "tab_export.tsv: fields separated by tab" "$tmp/err"
"$bin" --input tests/data/semicolon_excel.csv --delimiter ';' -o "$tmp/s2" \
    $w -v 2>"$tmp/err"
check "--delimiter ';'" grep -q "separated by ';' (semicolon) (--delimiter)" \
    "$tmp/err"
expect_exit "--delimiter ',' on a semicolon file: the header lacks columns" \
    66 "$bin" --input tests/data/semicolon_excel.csv --delimiter , --dry-run
expect_exit "--delimiter of two characters: 64" 64 "$bin" --delimiter ';;' \
    --dry-run
"$bin" --input input/projects.csv --dry-run -v 2>&1 >/dev/null |
    grep -q "fields separated by ',' (comma)"
check "--verbose names the comma too" test $? -eq 0

finish e2e_exports
