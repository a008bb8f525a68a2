#!/bin/sh
# e2e_extreme: one extreme record never costs the night.  Titles of 61,885
# 'W' and of 103,141 characters of words (tests/data/make_extreme.py
# titles) run over many pages of the summary's project list: with --only
# summary, --only book and a whole run, the run exits 0, every PDF passes
# qpdf --check, the summary shows each title whole, the brief renders it,
# and no text is drawn off the page or below the text flow
# (tests/check_on_page.py); the book links each row on every page it runs
# over (tests/check_book.py).  Every other field of a brief at 61,885 'W'
# (make_extreme.py fields) is drawn whole over the pages it needs, in the
# briefs and in the summary's tables; a chart cuts such a name short and
# says so.  Needs poppler-utils, qpdf and /usr/bin/python3.
set -u

bin=$1
here=$(dirname "$0")
. "$here/lib.sh"
scratch e2e_extreme
export SOURCE_DATE_EPOCH=1000000000

csv="$tmp/extreme.csv"
$PY "$here/data/make_extreme.py" titles "$csv" || exit 1

for only in summary book; do
    out="$tmp/$only"
    "$bin" --input "$csv" --output "$out" --only $only 2>"$out.err"
    rc=$?
    check "--only $only: exit 0 (exit $rc)" [ "$rc" -eq 0 ]
    pdf="$out/all/$only.pdf"
    check "--only $only: qpdf --check" qpdf --check "$pdf"
    check "--only $only: nothing off the page or over the footer" \
        $PY "$here/check_on_page.py" "$pdf"
done

s="$tmp/summary/all/summary.pdf"
# Only the first title has a W: the summary draws all 61,885 of them.
check "summary: the 61,885 W of the title, all drawn" sh -c \
    "[ \$(pdftotext -raw '$s' - 2>/dev/null | tr -cd W | wc -c) -eq 61885 ]"
check "summary: the other titles to their last words" sh -c \
    "pdftotext -raw '$s' - 2>/dev/null >'$tmp/s.txt' &&
     grep -q OMEGAEND '$tmp/s.txt' && grep -q OVEREND '$tmp/s.txt' &&
     grep -q MIDEND '$tmp/s.txt'"
check "summary: the long rows run over pages, the header on each" sh -c \
    "[ \$(pdfinfo '$s' 2>/dev/null | sed -n 's/^Pages: *//p') -gt 50 ] &&
     [ \$(pdftotext -layout '$s' - 2>/dev/null |
         grep -c '^ *ID  *Title  *IDF Region') -gt 50 ]"
check "summary: a continued row names its project on each page" sh -c \
    "[ \$(pdftotext -layout '$s' - 2>/dev/null |
         grep -cE '^ *T81-805 +W{10,} *\$') -gt 20 ]"
check "summary: a row a page holds is not split" sh -c \
    "[ \$(pdftotext -layout '$s' - 2>/dev/null | grep -c '^ *MID-2000 ') -eq 1 ]"

# The whole run: the book is the summary and the briefs page for page,
# with a link on every page a row runs over.
"$bin" --input "$csv" --output "$tmp/all" 2>"$tmp/all.err"
rc=$?
check "whole run: exit 0 (exit $rc)" [ "$rc" -eq 0 ]
run="$tmp/all/all"
for pdf in "$run"/*.pdf "$run"/briefs/*.pdf; do
    check "whole run: qpdf --check $(basename "$pdf")" qpdf --check "$pdf"
done
check "whole run: nothing off the page or over the footer" \
    $PY "$here/check_on_page.py" "$run"/*.pdf "$run"/briefs/*.pdf
if $PY "$here/check_book.py" "$run" "$csv" --rejected "$run/rejected.csv"
then ok; else bad "whole run: check_book"; fi
if $PY "$here/check_summary.py" "$run/summary.pdf" "$csv" \
    --rejected "$run/rejected.csv"; then ok
else bad "whole run: check_summary"; fi
# (the running bands of the brief's continuation pages, which repeat the
# title's start, left out)
check "the brief draws the 61,885 W" sh -c \
    "[ \$(pdftotext -raw '$run/briefs/T81-805.pdf' - 2>/dev/null |
         grep -v 'IOM Development Fund · Project Brief · ' |
         tr -cd W | wc -c) -eq 61885 ]"

# Every other field at 61,885 'W': each brief draws it whole, on its
# pages; so do the summary's tables (a region, a type, an ID) and the
# book.  (A list of five states with one such name once added pages
# without end: the run is given ten minutes.)
fcsv="$tmp/fields.csv"
$PY "$here/data/make_extreme.py" fields "$fcsv" || exit 1
timeout 600 "$bin" --input "$fcsv" --output "$tmp/fields" \
    2>"$tmp/fields.err"
rc=$?
check "fields: exit 0 (exit $rc)" [ "$rc" -eq 0 ]
run="$tmp/fields/all"
briefs="$run/briefs"
check "fields: a brief for each record" sh -c \
    "[ \$(ls '$briefs' | wc -l) -eq 9 ]"
check "fields: nothing off the page or over the footer" \
    $PY "$here/check_on_page.py" "$run"/*.pdf "$briefs"/*.pdf
for pdf in "$run"/*.pdf; do
    check "fields: qpdf --check $(basename "$pdf")" qpdf --check "$pdf"
done
# A bar's label is cut short, not run over pages; a note says so.
check "fields: the charts say their names are cut short" sh -c \
    "[ \$(pdftotext '$run/summary.pdf' - 2>/dev/null | tr '\n' ' ' |
         grep -o 'A name too long for the chart is cut short' |
         wc -l) -eq 2 ] &&
     ! pdftotext '$tmp/all/all/summary.pdf' - 2>/dev/null |
         grep -q 'too long for the chart'"
for pdf in "$briefs"/*.pdf; do
    name=$(basename "$pdf" .pdf | cut -c1-12)
    want=61885
    [ "$name" = OK-1 ] && want=0
    check "fields: $name: qpdf --check" qpdf --check "$pdf"
    check "fields: $name: the field whole" sh -c \
        "[ \$(pdftotext -raw '$pdf' - 2>/dev/null |
             grep -v 'IOM Development Fund · Project Brief · ' |
             tr -cd W | wc -c) -eq $want ]"
done

finish e2e_extreme
