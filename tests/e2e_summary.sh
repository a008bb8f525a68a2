#!/bin/sh
# e2e_summary: run BINARY with --only summary on the sample (all years, one
# year, an empty selection) and on a generated 5,000-project CSV, and check
# summary.pdf with tests/check_summary.py (every figure recomputed from the
# CSV and compared with pdftotext -layout; the outline through qpdf --json)
# and qpdf --check; the same input gives the same bytes.  Needs
# poppler-utils, qpdf and /usr/bin/python3.
set -u

bin=$1
here=$(dirname "$0")
. "$here/lib.sh"
scratch e2e_summary
export SOURCE_DATE_EPOCH=1000000000

# summary NAME CSV LABEL [--year Y]: render, then check the PDF.
summary() {
    name=$1 csv=$2 label=$3
    shift 3
    out="$tmp/$name"
    start=$(date +%s.%N)
    "$bin" --input "$csv" --output "$out" --only summary ${run_opts:-} "$@" \
        2>"$out.err"
    rc=$?
    end=$(date +%s.%N)
    if [ "$rc" -ne "${want_rc:-0}" ]; then
        bad "$name: exit $rc"; cat "$out.err"; return
    fi
    ok
    pdf="$out/$label/summary.pdf"
    [ -s "$pdf" ] || { bad "$name: no $pdf"; return; }
    echo "e2e_summary: $name: $(wc -c <"$pdf") bytes, $(pdfinfo "$pdf" \
        2>/dev/null | sed -n 's/^Pages: *//p') pages, run" \
        "$(awk "BEGIN { printf \"%.2f\", $end - $start }") s"
    check "$name: qpdf --check" qpdf --check "$pdf"
    if "$PY" "$here/check_summary.py" "$pdf" "$csv" \
        --rejected "$out/$label/rejected.csv" "$@"; then ok
    else bad "$name: check_summary"; fi
}

summary all input/projects.csv all
summary year2001 input/projects.csv 2001 --year 2001
summary range input/projects.csv 2002-2003 --year 2002-2003

# Rejected records are counted in the data and definitions.
{ cat input/projects.csv; echo 'BAD1,Broken budget,,,,,abc,,2001,,,,'; } \
    >"$tmp/rejects.csv"
want_rc=65 summary rejects "$tmp/rejects.csv" all
# ... and on the cover, beside the figures they leave out; not a word of
# them when none were rejected.
# (14 of 20 rejected: a night withheld unless told otherwise.)
run_opts="--max-rejected 100%" want_rc=65 summary bad_records \
    tests/data/bad_records.csv all
want_rc=0
check "rejected records: said on page 1, beside the figures" sh -c \
    "pdftotext -f 1 -l 1 '$tmp/bad_records/all/summary.pdf' - 2>/dev/null |
     grep -qx '6 of 20 records accepted; 14 rejected, listed in rejected.csv'"
check "no record rejected: page 1 says nothing of rejects" sh -c \
    "pdftotext -f 1 -l 1 '$tmp/all/all/summary.pdf' - >'$tmp/page1' &&
     [ -s '$tmp/page1' ] && ! grep -q rejected '$tmp/page1'"

# An input given by its absolute path is named by its file name alone in
# the data and definitions (and in the workbook's Notes); manifest.json
# keeps the path.
abs="$tmp/server/exports/2001"
mkdir -p "$abs"
cp input/projects.csv "$abs/IDF export.csv"
"$bin" --input "$abs/IDF export.csv" --output "$tmp/abs" \
    --only summary,workbook 2>/dev/null
check "-i /abs/path: the data and definitions name the file alone" sh -c \
    "pdftotext -layout '$tmp/abs/all/summary.pdf' - 2>/dev/null |
     grep -Eq '^Input file +IDF export.csv\$' &&
     ! pdftotext '$tmp/abs/all/summary.pdf' - 2>/dev/null | grep -q 'server/exports'"
check "-i /abs/path: the workbook's Notes name the file alone" $PY -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
xml = b"".join(z.read(n) for n in z.namelist())
sys.exit(b"IDF export.csv" not in xml or b"server/exports" in xml)' \
    "$tmp/abs/all/rollup.xlsx"
check "-i /abs/path: manifest.json keeps the path" sh -c \
    "grep -qF '\"path\": \"$abs/IDF export.csv\"' '$tmp/abs/all/manifest.json'"

# One spelling of the document's name in band, title, footer and PDF
# title; the selection in words, never the label.
p="$tmp/year2001/2001/summary.pdf"
check "year2001: 'Portfolio summary' spelt one way" sh -c \
    "! pdftotext '$p' - 2>/dev/null | grep -q 'Portfolio Summary' &&
     pdfinfo '$p' 2>/dev/null | grep -qx 'Title: *IOM Development Fund · Portfolio summary · Year 2001' &&
     [ \$(pdftotext -f 1 -l 1 '$p' - 2>/dev/null | grep -c 'Portfolio summary') -eq 3 ]"
check "year2001: the subtitle gives the selection in words" sh -c \
    "pdftotext -f 1 -l 1 '$p' - 2>/dev/null | grep -q '^Selection: Year 2001 · generated 2001-09-09 01:46 UTC\$' &&
     ! pdftotext '$p' - 2>/dev/null | grep -q 'label'"
"$bin" --input input/projects.csv --output "$tmp/names" --only summary \
    --region africa --year 2001 --label africa 2>/dev/null
check "filters in the summary as the data spells them" sh -c \
    "pdftotext '$tmp/names/africa/summary.pdf' - 2>/dev/null |
     grep -q 'Selection: Year 2001; IDF Region: Africa ·'"

# Same input, same SOURCE_DATE_EPOCH: the same bytes.
"$bin" --input input/projects.csv --output "$tmp/again" --only summary \
    2>/dev/null
check "two runs give the same summary" \
    cmp "$tmp/all/all/summary.pdf" "$tmp/again/all/summary.pdf"

# 5,000 projects over 24 years, 7 regions (one empty) and 40 types, titles
# of every length: the list runs over many pages, the matrix splits its
# years and the type chart continues overleaf.
$PY - "$tmp/big.csv" <<'EOF' || exit 1
import csv, random, sys

rnd = random.Random(5000)
regions = ["Africa", "Asia and Oceania", "Europe", "Global",
           "Latin America and the Caribbean", "Middle East and North Africa",
           ""]
bases = ["Migration Policy Activities", "Labour Migration",
         "Community and Economic Development", "Immigration and Borders",
         "Facilitated Migration Services",
         "Health Promotion and Assist for Migrants",
         "Protection and Assistance to Vulnerable Migrants",
         "Return and Reintegration Assistance for Migrants and Governments",
         "Emergency Response and Assistance to Displaced Populations",
         "TCMMCB"]
types = [b + s for b in bases
         for s in ("", " (Regional)", " (National)", " (Global)")]
words = ("capacity building migration management border officials "
         "C\u00f4te d\u2019Ivoire S\u00e3o Tom\u00e9 T\u00fcrkiye "
         "Cura\u00e7ao reintegration returnees seminar labour").split()
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Projects ID", "Title", "Budget Amount (USD)", "Year",
                "IDF Region", "Project Type", "Benefiting Member States"])
    for i in range(5000):
        year = 1990 + rnd.randrange(24)
        cents = rnd.randrange(1000000, 50000000)
        if i % 97 == 0:
            cents = 12345600            # ties, ordered by ID
        title = " ".join(rnd.choice(words)
                         for _ in range(rnd.randrange(1, 25)))
        w.writerow(["G%05d" % (4999 - i), title,
                    "%d.%02d" % (cents // 100, cents % 100), year,
                    rnd.choice(regions), rnd.choice(types),
                    "; ".join(rnd.sample(["Belize", "Haiti", "Ghana",
                                          "T\u00fcrkiye", "Jamaica"], 2))])
EOF
summary big "$tmp/big.csv" all

# The Region x Year note says the same whether the years fit across the
# page (the sample) or are split over tables (24 years).
note="Budget in USD; $(printf '\342\200\223') where no project. When the years do not fit across the page they are split over several tables, and the row totals are in the last."
for p in all/all big/all; do
    check "$p: the Region x Year note" sh -c \
        "pdftotext '$tmp/$p/summary.pdf' - 2>/dev/null | tr '\n' ' ' | grep -qF '$note'"
done

# However the project list falls on its pages, its last page holds the
# Total with at least three rows (check_summary): 45 consecutive sizes
# end a page at every row of it.
i=60
while [ "$i" -lt 105 ]; do
    awk -v n="$i" 'BEGIN { print "Projects ID,Title,Budget Amount (USD),Year,IDF Region,Project Type"
        for (k = 1; k <= n; k++) printf "K%03d,Project %d,%d.00,2001,Africa,T\n", k, k, 1000 + k }' \
        >"$tmp/keep$i.csv"
    summary "keep$i" "$tmp/keep$i.csv" all
    i=$((i + 1))
done

# Three regions of equal budgets: each shows 33.3 %, the Total 100.0 %,
# where shares forced to add up would give one of them 33.4 %.
printf '%s\n' 'Projects ID,Title,Budget Amount (USD),Year,IDF Region' \
    'Q1,One,100000.00,2001,Africa' 'Q2,Two,100000.00,2001,Europe' \
    'Q3,Three,100000.00,2001,' >"$tmp/equal.csv"
summary equal "$tmp/equal.csv" all

# One region of 1.05M, types of at most 0.4M (an axis in k on its own):
# both charts' axes read in M.
printf '%s\n' 'Projects ID,Title,Budget Amount (USD),Year,IDF Region,Project Type' \
    'M1,One,400000,2001,Africa,A' 'M2,Two,350000,2001,Africa,B' \
    'M3,Three,300000,2001,Africa,C' >"$tmp/units.csv"
summary units "$tmp/units.csv" all
check "units: both chart axes in the same unit" sh -c \
    "pdftotext -layout '$tmp/units/all/summary.pdf' - 2>/dev/null |
     grep -E '^ +0 +[0-9.]+[kM]? ' > '$tmp/axes' &&
     [ \$(wc -l < '$tmp/axes') -eq 2 ] &&
     ! grep -q '[0-9]k' '$tmp/axes' && [ \$(grep -c '[0-9]M ' '$tmp/axes') -eq 2 ]"
check "equal budgets, equal shares" sh -c \
    "[ \$(pdftotext -layout '$tmp/equal/all/summary.pdf' - 2>/dev/null |
        grep -c ' 100,000.00 *33.3 %\$') -eq 3 ]"

finish e2e_summary
