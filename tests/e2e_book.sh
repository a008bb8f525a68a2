#!/bin/sh
# e2e_book: book.pdf, on by default: the summary and every brief of the
# selection in the summary's order, one outline entry and one link per
# project, the book's own page numbers (tests/check_book.py, qpdf --json);
# the same fonts as the briefs (pdffonts); --only book; a stakeholder
# whose Send lists book gets book.pdf (--outbox).  Needs poppler-utils,
# qpdf and /usr/bin/python3.
set -u

bin=$1
here=$(dirname "$0")
. "$here/lib.sh"
scratch e2e_book
export SOURCE_DATE_EPOCH=1000000000

# book NAME LABEL [ARGS...]: a default run, then check its book.
book() {
    name=$1 label=$2
    shift 2
    out="$tmp/$name"
    "$bin" --input input/projects.csv --output "$out" "$@" 2>"$out.err"
    rc=$?
    check "$name: exit 0 (exit $rc)" [ "$rc" -eq 0 ]
    run="$out/$label"
    check "$name: qpdf --check" qpdf --check "$run/book.pdf"
    check "$name: book.pdf in the manifest" grep -q '"book.pdf"' \
        "$run/manifest.json"
    if "$PY" "$here/check_book.py" "$run" input/projects.csv \
        --rejected "$run/rejected.csv" "$@"; then ok
    else bad "$name: check_book"; fi
}

book all all
book year2001 2001 --year 2001
# A selection that matches nothing publishes no book (nor anything else).
expect_exit "empty selection: exit 65" 65 "$bin" --input input/projects.csv \
    --output "$tmp/empty" --year 2100
check "empty selection: no book published" test ! -e "$tmp/empty/2100"

# The fonts of the briefs, embedded the same way: name (less the subset
# tag), type, encoding, embedded, subset.
fonts() {
    pdffonts "$1" 2>/dev/null |
        awk 'NR > 2 { sub(/^[A-Z]+[+]/, "", $1); print $1, $2, $3, $4, $5, $6 }' |
        sort -u
}
fonts "$tmp/all/all/book.pdf" >"$tmp/book.fonts"
fonts "$tmp/all/all/briefs/ER.0031.pdf" >"$tmp/brief.fonts"
check "the book's fonts are the briefs'" sh -c \
    "[ -s '$tmp/book.fonts' ] && cmp '$tmp/book.fonts' '$tmp/brief.fonts'"

# --only book renders the book alone.
"$bin" --input input/projects.csv --output "$tmp/only" --only book \
    --year 2001 2>/dev/null
check "--only book: book.pdf, no summary, no briefs" sh -c \
    "[ -s '$tmp/only/2001/book.pdf' ] && [ ! -e '$tmp/only/2001/summary.pdf' ] &&
     [ ! -e '$tmp/only/2001/briefs' ] && [ ! -e '$tmp/only/2001/rollup.xlsx' ]"

# Send: book attaches book.pdf, and only it.
printf '%s\n' 'Name,Email,Regions,Member States,Send' \
    'Book Reader,book.reader@example.org,,,book' >"$tmp/people.csv"
IOMREPORT_MAIL_FROM=reports@example.org "$bin" --input input/projects.csv \
    --output "$tmp/mail" --year 2001 --stakeholders "$tmp/people.csv" \
    --outbox "$tmp/outbox" 2>"$tmp/mail.err"
check "Send book: exit 0" [ "$?" -eq 0 ]
check "Send book: book.pdf attached, nothing else" sh -c \
    "grep -h -o 'filename=\"[^\"]*\"' '$tmp'/outbox/*.eml | sort -u |
     tr '\n' ' ' | grep -qx 'filename=\"book.pdf\" '"

finish e2e_book
