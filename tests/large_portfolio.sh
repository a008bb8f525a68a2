#!/bin/sh
# make test-large: a portfolio of 1,100,000 small projects, made here, is
# published with --only summary,workbook: the summary has every project
# (its pages spread over several page nodes), the Projects sheet continues
# on "Projects (2)" past Excel's 1,048,576 rows, and the totals are exact.
# Prints the run's time and peak RSS; needs about 2 GB of memory and
# 500 MB in $TMPDIR, and a few minutes.
set -u
bin=$1
. tests/lib.sh
scratch large_portfolio
t=$tmp
n=1100000

$PY - "$t/in.csv" "$n" <<'PYEOF'
import sys
regions = ["Africa", "Asia and Oceania", "Europe", "Global"]
with open(sys.argv[1], "w") as f:
    f.write("Projects ID,Title,Budget Amount (USD),Year,IDF Region\n")
    for i in range(int(sys.argv[2])):
        f.write("S-%07d,Small project %d,%d.%02d,%d,%s\n" % (
            i, i, 1000 + i % 99991, i % 100, 1951 + i % 150, regions[i % 4]))
PYEOF

/usr/bin/time -v "$bin" --input "$t/in.csv" --output "$t/o" \
    --only summary,workbook 2>"$t/err"
rc=$?
echo "large_portfolio: $n projects: exit $rc," \
    "$(sed -n "s/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p" "$t/err") elapsed," \
    "peak RSS $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$t/err") KB"
check "1,100,000 projects publish (exit 0)" [ "$rc" -eq 0 ]
run=$t/o/all
check "manifest: every project accepted, totals recomputed" \
    $PY tests/check_manifest.py "$run" "$t/in.csv" $n 0
unzip -p "$run/rollup.xlsx" xl/workbook.xml > "$t/book.xml"
check "workbook: Projects continues on Projects (2), then By Region" sh -c \
    "grep -o 'sheet name=\"[^\"]*\"' '$t/book.xml' | sed -n '2,4p' |
     tr '\n' '|' | grep -qx 'sheet name=\"Projects\"|sheet name=\"Projects (2)\"|sheet name=\"By Region\"|'"
check "workbook: 1,048,574 projects then 51,426, each between a header and a Total" sh -c \
    "[ \$(unzip -p '$run/rollup.xlsx' xl/worksheets/sheet2.xml | grep -o '<row ' | wc -l) -eq 1048576 ] &&
     [ \$(unzip -p '$run/rollup.xlsx' xl/worksheets/sheet3.xml | grep -o '<row ' | wc -l) -eq 51428 ] &&
     unzip -p '$run/rollup.xlsx' xl/worksheets/sheet3.xml | grep -q 'S-1099999'"
want=$($PY -c "
import sys
print(sum((1000 + i % 99991) * 100 + i % 100 for i in range($n)))")
check "workbook: By Region totals are the exact count and budget" sh -c \
    "unzip -p '$run/rollup.xlsx' xl/worksheets/sheet4.xml |
     grep -o '<f>SUM([BC]2:[BC]5)</f><v>[^<]*</v>' > '$t/sums' &&
     grep -q '<v>$n</v>' '$t/sums' &&
     $PY -c \"import re,sys; v=re.findall(r'C5\)</f><v>([^<]*)<', open('$t/sums').read()); sys.exit(round(float(v[0])*100) != $want)\""
check "summary: every project listed" sh -c \
    "[ \$(pdftotext '$run/summary.pdf' - 2>/dev/null | grep -c '^S-[0-9]\{7\}\$') -eq $n ]"
finish large_portfolio
