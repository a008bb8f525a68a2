#!/bin/sh
# e2e_xlsx: run BINARY with --only workbook and check rollup.xlsx with
# tests/check_xlsx.py (openpyxl, figures computed independently from the
# CSV) and with LibreOffice, which recalculates every formula and must get
# the cached totals.  Needs /usr/bin/python3 with openpyxl and soffice
# (Debian: python3-openpyxl, libreoffice-calc-nogui).
set -u

bin=$1
here=$(dirname "$0")
. "$here/lib.sh"
scratch e2e_xlsx
export SOURCE_DATE_EPOCH=1000000000

if ! command -v soffice >/dev/null 2>&1; then
    bad "soffice not found: install libreoffice-calc-nogui (make deps)"
fi

# LibreOffice keeps the cached results of an .xlsx unless told to
# recalculate on load; a private profile says so and keeps parallel runs
# apart.
mkdir -p "$tmp/lo/user"
cat >"$tmp/lo/user/registrymodifications.xcu" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
EOF

# lo_csv XLSX OUTDIR: every sheet as OUTDIR/STEM-SHEET.csv, raw values.
lo_csv() {
    mkdir -p "$2"
    soffice -env:UserInstallation="file://$tmp/lo" --headless \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        --outdir "$2" "$1" >"$2/soffice.log" 2>&1
}

# workbook NAME CSV LABEL EXIT [--year Y]: run, then check the workbook.
workbook() {
    name=$1 csv=$2 label=$3 want=$4
    shift 4
    out="$tmp/$name"
    "$bin" --input "$csv" --output "$out" --only workbook "$@" \
        2>"$out.err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        bad "$name: exit $rc, wanted $want"; cat "$out.err"; return
    fi
    ok
    x="$out/$label/rollup.xlsx"
    [ -s "$x" ] || { bad "$name: no $x"; return; }
    lo=
    if command -v soffice >/dev/null 2>&1; then
        if lo_csv "$x" "$out.lo"; then lo="--lo-dir $out.lo"; else
            bad "$name: LibreOffice could not convert"; cat "$out.lo/soffice.log"
        fi
    fi
    year=
    [ "$#" -ge 2 ] && [ "$1" = --year ] && year="--year $2"
    # shellcheck disable=SC2086
    if "$PY" "$here/check_xlsx.py" "$x" "$csv" --label "$label" \
        --epoch "$SOURCE_DATE_EPOCH" --rejected "$out/$label/rejected.csv" \
        $year $lo; then ok; else bad "$name: check_xlsx"; fi
}

workbook all input/projects.csv all 0
workbook year2001 input/projects.csv 2001 0 --year 2001

# Same input, same SOURCE_DATE_EPOCH: the same bytes.
"$bin" --input input/projects.csv --output "$tmp/again" --only workbook \
    2>/dev/null
check "two runs give the same workbook" \
    cmp "$tmp/all/all/rollup.xlsx" "$tmp/again/all/rollup.xlsx"

# Formula injection, a description over Excel's cell limit, an ID that is
# no file name, and group names that look like formulas.
"$PY" - "$tmp/inject.csv" <<'EOF'
import csv, sys
long = ("Long text \U0001F600 \u2019 " * 3000)[:40000]
rows = [
    ["Projects ID", "Title", "Start Date", "End Date", "Budget Amount (USD)",
     "Year", "IDF Region", "Project Type", "Description",
     "Benefiting Member States"],
    ["EQ1", "=1+1", "2001-02-03", "2001", "1,000.10", "2001", "=Region",
     "+Type", "=cmd|' /C calc'!A0", "Haiti; Belize ;;"],
    ["PL1", "+SUM(1,2)", "2001-02", "", "0", "2002", "Africa", "-Type",
     "-2+3", ""],
    ["MI1", "-2+3", "", "", "59,625", "2002", "@Region", "", "@SUM(A1)",
     "C\u00f4te d\u2019Ivoire"],
    ["AT1", "@SUM(A1)", "", "", "0.5", "2003", "", "TCMMCB", long, ""],
    ["A/B 1", '=HYPERLINK("http://example.com","x")', "", "", "12",
     "2003", "Europe", "=Type", "\t leading tab kept inside", "Fiji"],
]
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows(rows)
EOF
workbook inject "$tmp/inject.csv" all 0
check "a warning for the cut description" \
    grep "AT1.*Description" "$tmp/inject.err"

# LibreOffice really recalculates: a wrong cached total must come back
# right.
if command -v soffice >/dev/null 2>&1; then
    "$PY" - "$tmp/all/all/rollup.xlsx" "$tmp/canary.xlsx" <<'EOF'
import re, sys, zipfile
src, dst = sys.argv[1:]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "xl/worksheets/sheet3.xml":
            data = re.sub(rb"(<f>SUM\(C[^<]*</f><v>)[^<]*", rb"\g<1>12345",
                          data)
        zout.writestr(item, data)
EOF
    lo_csv "$tmp/canary.xlsx" "$tmp/canary.lo"
    got=$(grep '^Total,' "$tmp/canary.lo/canary-By Region.csv" 2>/dev/null)
    want=$(grep '^Total,' "$tmp/all.lo/rollup-By Region.csv" 2>/dev/null)
    if [ -n "$want" ] && [ "$got" = "$want" ]; then ok
    else bad "LibreOffice did not recalculate: '$got' != '$want'"; fi
fi

# On paper, as LibreOffice prints it: every page has its sheet's name and
# "Page N of M" in the footer, the sheets follow in order, and each group
# sheet (table and chart) takes one page (41 pages, one column each, before
# the sheets had a page setup).
if command -v soffice >/dev/null 2>&1; then
    mkdir -p "$tmp/print"
    soffice -env:UserInstallation="file://$tmp/lo" --headless \
        --convert-to pdf --outdir "$tmp/print" "$tmp/all/all/rollup.xlsx" \
        >"$tmp/print/soffice.log" 2>&1
    pdftotext -layout "$tmp/print/rollup.pdf" - 2>/dev/null |
        sed -n 's/^ *\([A-Za-z][A-Za-z x()0-9]*[a-z)]\)  *Page \([0-9]*\) of \([0-9]*\) *$/\1|\2|\3/p' \
        >"$tmp/print/footers"
    pages=$(pdfinfo "$tmp/print/rollup.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    check "the workbook prints on at most 16 pages, each with its footer" sh -c \
        "[ '${pages:-0}' -le 16 ] && [ \$(wc -l < '$tmp/print/footers') -eq '${pages:-0}' ] &&
         awk -F'|' '\$2 != NR || \$3 != $pages { bad = 1 } END { exit bad }' '$tmp/print/footers'"
    check "sheets print in order, each group sheet on one page" sh -c \
        "cut -d'|' -f1 '$tmp/print/footers' | uniq -c | awk '{ \$1 = \$1 == 1 || \$2 == \"Projects\" ? \"\" : \$1; print }' |
         tr -s ' ' | sed 's/^ //' | tr '\n' '|' |
         grep -qx 'Summary|Projects|By Region|By Type|By Year|Region x Year|Notes|'"
fi

finish e2e_xlsx
