#!/bin/sh
# End-to-end: quiet nights.  The same bad records night after night are
# not listed again (cron would mail them every night): a night with
# nothing new prints nothing, and -v counts them in one line that says
# where the list is; new rejects are listed; rejected.csv lists all, with
# a byte-order mark; --strict still writes it.
set -u
bin=$1
. tests/lib.sh
scratch e2e_quiet
o="$tmp/o"
# (14 of 20 rejected: a night that is withheld unless told otherwise.)
w="--only workbook --max-rejected 100%"
in=tests/data/bad_records.csv
listed() {
    grep -c "^iomreport: $1:[0-9]*: " "$tmp/err"
}
# lists_all FILE: FILE is the whole rejected.csv of $in.
lists_all() {
    $PY tests/check_rejects.py "$1" tests/data/bad_records.expected "$in"
}

"$bin" --input "$in" -o "$o" $w 2>"$tmp/err"
check "night 1: each of the 14 rejects listed" test "$(listed "$in")" -eq 14
"$bin" --input "$in" -o "$o" $w 2>"$tmp/err"
rc=$?
check "night 2: still 65" test "$rc" -eq 65
check "night 2: nothing new (14 rejects, 3 warnings), nothing printed" \
    test ! -s "$tmp/err"
check "night 2: warnings.csv lists the 3 records kept with a warning" sh -c \
    "[ \$(grep -c '^1[678],' '$o/all/warnings.csv') -eq 3 ] &&
     grep -q '\"warnings.csv\"' '$o/all/manifest.json'"
"$bin" --input "$in" -o "$o" $w -v 2>"$tmp/err"
check "night 2 with -v: no reject listed again" test "$(listed "$in")" -eq 0
check "night 2 with -v: one line counts them and names the list" grep -qx \
    "iomreport: 14 rejected records are the same as in the previous run of 'all', not listed again: all are in $o/all/rejected.csv" \
    "$tmp/err"
check "night 2: rejected.csv still lists all 14" lists_all "$o/all/rejected.csv"
check "rejected.csv starts with a UTF-8 byte-order mark" sh -c \
    "head -c 3 '$o/all/rejected.csv' | od -An -tx1 | grep -q 'ef bb bf'"

# Night 3: one more bad record at the end, and one kept with a date that
# cannot be read: only the new ones are said.
{ cat "$in"; echo "NEW-1,New bad budget,,,abc,2001,,"
  echo "NEW-2,New odd date,4/1/2001,,5,2001,,"; } >"$tmp/night3.csv"
n3=$(($(wc -l <"$tmp/night3.csv") - 1))
"$bin" --input "$tmp/night3.csv" -o "$o" $w --label all -v 2>"$tmp/err"
check "night 3: the new reject is listed" grep -q \
    "^iomreport: $tmp/night3.csv:$n3: Budget Amount (USD): 'abc'" "$tmp/err"
check "night 3: only that one" test "$(listed "$tmp/night3.csv")" -eq 1
check "night 3: the 14 known ones counted" grep -q \
    "^iomreport: 14 rejected records are the same" "$tmp/err"
check "night 3: the new warning said, the 3 known ones counted" sh -c \
    "[ \$(grep -c '^iomreport: warning: ' '$tmp/err') -eq 1 ] &&
     grep -q \"^iomreport: warning: $tmp/night3.csv:$((n3 + 1)): Start Date: '4/1/2001'\" '$tmp/err' &&
     grep -q '^iomreport: 3 warnings are the same as in the previous run' '$tmp/err'"
check "night 3: rejected.csv lists 15" sh -c \
    "[ \$(grep -c '^[0-9]' '$o/all/rejected.csv') -eq 15 ]"
# A record rejected for several faults is known again by all of them.
m=tests/data/multi_fault.csv
"$bin" --input "$m" -o "$o" $w --label multi 2>/dev/null
"$bin" --input "$m" -o "$o" $w --label multi -v 2>"$tmp/err"
check "several faults a record: none listed on the second night" \
    test "$(listed "$m")" -eq 0
check "several faults a record: the 5 counted as known" grep -qx \
    "iomreport: 5 rejected records are the same as in the previous run of 'multi', not listed again: all are in $o/multi/rejected.csv" \
    "$tmp/err"
# Another label has its own previous run: nothing known there.
"$bin" --input "$in" -o "$o" $w --label other 2>"$tmp/err"
check "another label lists its rejects" test "$(listed "$in")" -eq 14

# --strict: nothing published, the list written beside the label.
"$bin" --input "$in" -o "$tmp/s" --strict 2>"$tmp/err"
rc=$?
check "--strict exits 65 and publishes nothing" sh -c \
    "[ $rc -eq 65 ] && [ ! -e '$tmp/s/all' ]"
check "--strict names where the list is" grep -qx \
    "iomreport: 14 records rejected: nothing published (--strict); they are listed in $tmp/s/.all.rejected.csv" \
    "$tmp/err"
check "--strict's list is the whole rejected.csv" \
    lists_all "$tmp/s/.all.rejected.csv"
check "--strict leaves no staging folder" sh -c \
    "! ls -a '$tmp/s' | grep -q staging"
rm -f "$tmp/s/.all.rejected.csv"
ln -s "$tmp/victim" "$tmp/s/.all.rejected.csv"
"$bin" --input "$in" -o "$tmp/s" --strict 2>/dev/null
check "--strict replaces a link at the list's name, never writes through it" \
    sh -c "[ ! -e '$tmp/victim' ] && [ -f '$tmp/s/.all.rejected.csv' ] &&
           [ ! -L '$tmp/s/.all.rejected.csv' ]"

finish e2e_quiet
