#!/bin/sh
# End-to-end: the default label names the whole selection, so that two
# selections never replace each other's run; a selection that matches no
# project publishes and mails nothing and says what the input holds.
set -u
bin=$1
. tests/lib.sh
scratch e2e_selection
o="$tmp/o"
w="--only workbook"

expect_exit "the nightly 2001 run" 0 "$bin" --year 2001 -o "$o" $w
night=$(readlink "$o/2001")
expect_exit "2001 narrowed to Africa" 0 "$bin" --year 2001 --region Africa \
    -o "$o" $w
check "--year 2001 --region Africa leaves output/2001 alone" \
    test "$(readlink "$o/2001")" = "$night"
check "--year 2001 --region Africa publishes 2001_r-africa" \
    test -L "$o/2001_r-africa"
expect_exit "--region Africa alone" 0 "$bin" --region Africa -o "$o" $w
check "--region Africa publishes all_r-africa, not all" \
    sh -c "test -L '$o/all_r-africa' && ! test -e '$o/all'"
expect_exit "two years with a gap" 0 "$bin" --year 2001 --year 2004 \
    -o "$o" --only summary,workbook
check "--year 2001 --year 2004 publishes 2001_2004" test -L "$o/2001_2004"
check "its selection names exactly 2001 and 2004" \
    grep -q '"description": "Years 2001, 2004"' "$o/2001_2004/manifest.json"
check "the summary's title says 2001 and 2004, not 2001-2004" sh -c \
    "pdftotext '$o/2001_2004/summary.pdf' - | grep -q 'Years 2001, 2004' &&
     ! pdfinfo '$o/2001_2004/summary.pdf' | grep -q '2001-2004'"
expect_exit "a region with spaces and a type" 0 "$bin" --year 2001-2005 \
    --region 'Asia and Oceania' --type 'Labour Migration' -o "$o" $w
check "readable label for names of letters and spaces" \
    test -L "$o/2001-2005_r-asia.and.oceania_t-labour.migration"
expect_exit "a selection longer than a label" 0 "$bin" \
    --region 'Latin America and the Caribbean' --region 'Asia and Oceania' \
    --region 'Middle East and North Africa' -o "$o" $w
check "a long selection gets a short digest, at most 63 bytes" sh -c \
    "ls '$o' | grep -E '^all_r-asia[a-z._-]*_h-[0-9a-f]{10}\$' |
     awk 'length(\$0) > 63 { bad = 1 } END { exit bad || NR != 1 }'"

# A selection that matches nothing: 65, nothing published or mailed.
"$bin" --region Narnia -o "$o" --outbox "$tmp/outbox" \
    --stakeholders input/stakeholders.csv 2>"$tmp/err"
rc=$?
check "--region Narnia exits 65" test "$rc" -eq 65
check "--region Narnia publishes nothing" sh -c \
    "! ls -a '$o' | grep -q narnia"
check "--region Narnia mails nothing" sh -c \
    "[ ! -d '$tmp/outbox' ] || [ -z \"\$(ls -A '$tmp/outbox')\" ]"
check "--region Narnia names the regions of the input" grep -q \
    "^iomreport: no project matches --region 'Narnia'; regions in the input: Africa, Asia and Oceania, .*; nothing published\$" \
    "$tmp/err"
"$bin" --year 2100 -o "$o" $w 2>"$tmp/err"
rc=$?
check "--year 2100 exits 65 and names the years" sh -c \
    "[ $rc -eq 65 ] && grep -q 'years in the input: 2001, 2002' '$tmp/err' &&
     [ ! -e '$o/2100' ]"
expect_exit "a dry run of nothing exits 65 too" 65 "$bin" --dry-run \
    --type Nothing

# The whole input's budgets overflow 64 bits of cents (92,234 projects of
# a trillion dollars in 2002), the selection's do not: the input's census
# names groups and sums nothing, so neither the dry run nor the message
# of a selection that matches nothing fails on the overflow.
{ echo "Projects ID,Title,Budget Amount (USD),Year"
  seq 1 92234 | sed 's/.*/X-&,T,1000000000000.00,2002/'
  echo 'Y-1,T,5.00,2001'; } > "$tmp/overflow.csv"
"$bin" --input "$tmp/overflow.csv" --dry-run --year 2001 >"$tmp/out" \
    2>"$tmp/err"
rc=$?
check "a dry run of 2001 in an input whose total overflows: 0, its total" \
    sh -c "[ $rc -eq 0 ] && grep -qx 'Total budget: USD 5.00' '$tmp/out' &&
           grep -qx 'Projects selected: 1' '$tmp/out'"
for mode in "a dry run" "a run"; do
    case $mode in
    "a dry run") set -- --dry-run ;;
    *) set -- -o "$o" $w ;;
    esac
    "$bin" --input "$tmp/overflow.csv" --year 2100 "$@" >/dev/null \
        2>"$tmp/err"
    rc=$?
    check "$mode of --year 2100 on an overflowing input: 65, years named" \
        sh -c "[ $rc -eq 65 ] &&
               grep -q 'years in the input: 2001, 2002; nothing published' \
                   '$tmp/err' && ! grep -q 64 '$tmp/err'"
done
"$bin" --input tests/data/header_only.csv -o "$o" $w 2>"$tmp/err"
rc=$?
check "a header and no records: 65, said" sh -c \
    "[ $rc -eq 65 ] && grep -q 'the input holds no accepted project' '$tmp/err'"

finish e2e_selection
