#!/bin/sh
# End-to-end: fields as exports write them.  Only what the reports add up,
# key on or title by decides whether a project is kept: a date that cannot
# be read, an End before its Start, a member state listed twice or a Year
# far from its Start Date is one warning line, and the project, its budget
# and its brief stay.  A rejected record gives all its faults in one line
# and one row.  Budgets of a ';' file (or under --decimal-comma) have a
# decimal comma.  Each named file of tests/data/ is checked on its exit
# status, its lines on standard error, its rejected.csv and the totals of
# the workbook and summary (figures recomputed by tests/check_*.py).
set -u
bin=$1
. tests/lib.sh
scratch e2e_fields
export SOURCE_DATE_EPOCH=1000000000
tab=$(printf '\t')

# run NAME INPUT [OPTION...]: a run into $tmp/NAME, two workers, its
# standard error in $tmp/NAME.err and its exit status in $rc.
run() {
    run_name=$1 run_in=$2
    shift 2
    "$bin" --input "$run_in" --output "$tmp/$run_name" -j 2 "$@" \
        2>"$tmp/$run_name.err"
    rc=$?
}

# said NAME FILE: the standard error of run NAME is the lines of FILE, in
# that order, and nothing else.
said() {
    diff "$2" "$tmp/$1.err"
}

# rows NAME FILE: rejected.csv of run NAME holds exactly the rows of FILE
# (LINE<TAB>COLUMN<TAB>REASON), in that order.
rows() {
    $PY - "$tmp/$1/all/rejected.csv" "$2" <<'PYEOF'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    got = [r[:3] for r in csv.reader(f)][1:]
with open(sys.argv[2], encoding="utf-8") as f:
    want = [l.rstrip("\n").split("\t") for l in f if l.strip()]
if got != want:
    print("rejected.csv rows:\n%s\nwanted:\n%s" % (got, want))
    sys.exit(1)
PYEOF
}

# figures NAME INPUT [--decimal-comma]: the workbook and the summary of
# run NAME hold the figures recomputed from INPUT, less its rejects.
figures() {
    fig_name=$1 fig_run=$tmp/$1/all fig_in=$2
    shift 2
    check "$fig_name: workbook figures" $PY tests/check_xlsx.py \
        "$fig_run/rollup.xlsx" "$fig_in" --label all \
        --epoch "$SOURCE_DATE_EPOCH" --rejected "$fig_run/rejected.csv" "$@"
    check "$fig_name: summary figures" $PY tests/check_summary.py \
        "$fig_run/summary.pdf" "$fig_in" --rejected "$fig_run/rejected.csv" \
        "$@"
}

# total NAME TEXT: the summary of run NAME gives TEXT as its total budget.
total() {
    pdftotext -layout "$tmp/$1/all/summary.pdf" - 2>/dev/null |
        grep -q "$2"
}

# Dates: the forms exports hold are read, the others kept as given.
in=tests/data/date_forms.csv
run dates "$in" --only briefs,summary,workbook
check "date forms: every project kept (exit $rc)" test "$rc" -eq 0
cat >"$tmp/dates.want" <<EOF
iomreport: warning: $in:6: Start Date: '4/1/2001' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); shown as given
iomreport: warning: $in:7: Start Date: '2001-02-30' has a day that is not in its month; shown as given
iomreport: warning: $in:8: End Date: '2002-12' is before Start Date '2003'; shown as given
iomreport: warning: $in:9: Start Date: '2001-04-01 13:30:00' has a time of day other than midnight; shown as given
iomreport: warning: $in:10: End Date: '30/06/2002' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); shown as given
EOF
check "date forms: one warning a field, said once by a run of two workers" \
    said dates "$tmp/dates.want"
: >"$tmp/none"
check "date forms: nothing rejected" rows dates "$tmp/none"
check "date forms: every budget in the total" total dates "55,000.00"
figures dates "$in"
pdftotext "$tmp/dates/all/briefs/DF-005.pdf" - >"$tmp/df5.txt" 2>/dev/null
check "date forms: the brief shows the date as given" grep -q '4/1/2001' \
    "$tmp/df5.txt"
pdftotext "$tmp/dates/all/briefs/DF-002.pdf" - >"$tmp/df2.txt" 2>/dev/null
check "date forms: a midnight time is read as its day" sh -c \
    "grep -q '2001-04-01' '$tmp/df2.txt' && ! grep -q '00:00' '$tmp/df2.txt'"
check "date forms: the workbook keeps the text beside an empty date cell" \
    $PY -c '
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Projects"]
row = {r[0].value: r for r in ws.iter_rows(min_row=2)}
r5, r9 = row["DF-005"], row["DF-009"]
ok = (r5[2].value is None and r5[13].value == "as given: 4/1/2001" and
      r9[3].value is None and r9[14].value == "as given: 30/06/2002" and
      r9[2].is_date and r9[13].value == "month")
sys.exit(0 if ok else 1)' "$tmp/dates/all/rollup.xlsx"

# Every fault of a record in one line and one row.
in=tests/data/multi_fault.csv
run multi "$in" --only summary,workbook
check "several faults: exit 65" test "$rc" -eq 65
r3="Projects ID: is empty; Budget Amount (USD): is empty; Year: is empty and there is no Start Date to take it from"
r4="Budget Amount (USD): '12abc' is not a decimal number; Year: '20x1' is not a whole year"
r5="Year: is empty and Start Date '4/1/2001' is not a date to take it from"
r6="Projects ID: duplicate 'MF-001' (first on line 2); Budget Amount (USD): '1,2,3' has a misplaced thousands separator ('.' is the decimal mark unless the fields are separated by ';' or --decimal-comma is given)"
r7="Title: is empty; Budget Amount (USD): '-5' is negative; Year: '1950' is outside 1951-2100"
cat >"$tmp/multi.want" <<EOF
iomreport: $in:3: $r3
iomreport: $in:4: $r4
iomreport: $in:5: $r5
iomreport: $in:6: $r6
iomreport: $in:7: $r7
iomreport: 5 of 7 records rejected (see rejected.csv)
EOF
check "several faults: one line a record, every fault in it" \
    said multi "$tmp/multi.want"
sed -e "s/^iomreport: [^:]*:\([0-9]*\): \([^:]*\): /\1$tab\2$tab/" \
    -e '/^iomreport: /d' "$tmp/multi.want" >"$tmp/multi.rows"
check "several faults: one rejected.csv row a record, column of the first" \
    rows multi "$tmp/multi.rows"
check "several faults: the two good budgets in the total" total multi \
    "3,000.00"
figures multi "$in"

# A member state listed twice is shown and counted once.
in=tests/data/duplicate_states.csv
run states "$in" --only summary,workbook
check "repeated member states: kept (exit $rc)" test "$rc" -eq 0
cat >"$tmp/states.want" <<EOF
iomreport: warning: $in:2: Benefiting Member States: 'Ghana' is listed more than once; it is shown and counted once
iomreport: warning: $in:3: Benefiting Member States: 'Côte d'Ivoire', 'Ghana' are listed more than once; each is shown and counted once
iomreport: warning: $in:4: Benefiting Member States: 'Senegal' is listed more than once; it is shown and counted once
EOF
check "repeated member states: one warning a record" \
    said states "$tmp/states.want"
check "repeated member states: nothing rejected" rows states "$tmp/none"
check "repeated member states: five distinct in the summary" sh -c \
    "pdftotext -layout '$tmp/states/all/summary.pdf' - 2>/dev/null |
     grep -A2 'Benefiting member states' | grep -Eq '^ *2,500\.00 +5 +2001'"
figures states "$in"

# A Year far from its Start Date is kept and warned.
in=tests/data/year_start_mismatch.csv
run years "$in" --only summary,workbook
check "Year far from Start Date: kept (exit $rc)" test "$rc" -eq 0
cat >"$tmp/years.want" <<EOF
iomreport: warning: $in:2: Year: '2005' is 4 years after Start Date '2001-03'
iomreport: warning: $in:4: Year: '1999' is 2 years before Start Date '2001-06-15'
iomreport: warning: $in:6: Start Date: '2001/06/15' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); shown as given
EOF
check "Year far from Start Date: one warning each" said years "$tmp/years.want"
check "Year far from Start Date: nothing rejected" rows years "$tmp/none"
check "Year far from Start Date: every budget in the total" total years \
    "15,000.00"
figures years "$in"

# Budgets with a decimal comma: a ';' file from European Excel.
in=tests/data/semicolon_decimal_comma.csv
run comma "$in" --only summary,workbook -v
check "decimal comma: exit 65 for the three it cannot read" test "$rc" -eq 65
rule="a ';'-separated file reads ',' as the decimal mark and '.' as the thousands separator; see --decimal-comma"
cat >"$tmp/comma.rows" <<EOF
9${tab}Budget Amount (USD)$tab'1,234' has 3 decimals after the decimal comma ($rule)
10${tab}Budget Amount (USD)$tab'112,300.50' is written with a decimal point and ',' thousands separators ($rule)
11${tab}Budget Amount (USD)$tab'1.23,45' has a misplaced thousands separator ($rule)
EOF
check "decimal comma: rejected.csv names the rule" rows comma "$tmp/comma.rows"
check "decimal comma: the same three on standard error" sh -c \
    "[ \$(grep -c '^iomreport: $in:[0-9]*: Budget Amount (USD): .*see --decimal-comma)\$' '$tmp/comma.err') -eq 3 ]"
check "decimal comma: --verbose says how budgets are read" grep -qx \
    "iomreport: $in: budgets read with a decimal comma and '.' thousands separators (37.450,00), as the file's fields are separated by ';'" \
    "$tmp/comma.err"
check "decimal comma: 37450,00 + 112.300,50 + 59.625 + USD/\$ + 37450.00" \
    total comma "464,526.00"
figures comma "$in"
check "decimal comma: the workbook's notes say so" $PY -c '
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Notes"]
notes = {r[0].value: r[1].value for r in ws.iter_rows(min_row=3)}
sys.exit(0 if sys.argv[2] in notes.get("Numbers", "") else 1)' \
    "$tmp/comma/all/rollup.xlsx" "fields are separated by ';'"
check "decimal comma: the summary's notes say so" sh -c \
    "pdftotext '$tmp/comma/all/summary.pdf' - 2>/dev/null | tr '\n' ' ' |
     grep -q \"Budgets read with a decimal comma and '.' thousands\""

# The same forms in a ',' file: read only under --decimal-comma.
in=tests/data/decimal_comma.csv
run point "$in" --only workbook
check "a decimal comma without --decimal-comma: exit 65" test "$rc" -eq 65
check "a decimal comma without --decimal-comma: the reason says what to do" \
    grep -qx "iomreport: $in:2: Budget Amount (USD): '37450,00' is written with a decimal comma ('.' is the decimal mark unless the fields are separated by ';' or --decimal-comma is given)" \
    "$tmp/point.err"
run option "$in" --only summary,workbook --decimal-comma -v
check "--decimal-comma: every budget read (exit $rc)" test "$rc" -eq 0
check "--decimal-comma: --verbose names the option" grep -q \
    "budgets read with a decimal comma .*, as --decimal-comma asks" \
    "$tmp/option.err"
check "--decimal-comma: 37450,00 + 112.300,50 + 59.625 + 95000" \
    total option "304,375.50"
figures option "$in" --decimal-comma

# send LABEL reads the input again as its run did: with --decimal-comma.
mail() {
    SOURCE_DATE_EPOCH=0 IOMREPORT_SMTP_URL=smtp://127.0.0.1:1 \
        IOMREPORT_MAIL_FROM=r@example.org "$bin" "$@" 2>>"$tmp/mail.err"
}
mail --input "$in" --decimal-comma -o "$tmp/m" --only summary \
    --outbox "$tmp/ob1"
check "the manifest records --decimal-comma" grep -q \
    '"decimal_comma": true' "$tmp/m/all/manifest.json"
mail send all -o "$tmp/m" --outbox "$tmp/ob2"
check "send LABEL of a --decimal-comma run: the run's messages, byte for byte" \
    same_messages "$tmp/ob1" "$tmp/ob2"

# The sample saved by a European Excel: the same projects and total as the
# tab export of the same records.
run excel tests/data/semicolon_excel.csv --only summary,workbook
run tabs tests/data/tab_export.tsv --only summary,workbook
check "European Excel export: every record (exit $rc)" test "$rc" -eq 0
check "European Excel export: the total of the same records" sh -c \
    "total() { pdftotext -layout \"\$1\" - 2>/dev/null | grep -A1 'Total budget' | tail -1; }
     [ \"\$(total '$tmp/excel/all/summary.pdf')\" = \"\$(total '$tmp/tabs/all/summary.pdf')\" ]"
figures excel tests/data/semicolon_excel.csv

finish e2e_fields
