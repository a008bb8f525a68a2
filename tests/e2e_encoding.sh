#!/bin/sh
# e2e_encoding: the fonts of each PDF use the cheapest encoding that covers
# its text, document strings are PDFDocEncoding where they fit, and nothing
# a reader sees changes.  The sample input and names in Turkish, Polish,
# Romanian, Cyrillic, Chinese and mixed scripts are rendered twice by
# BINARY: as it chooses, and with IOMREPORT_PDF_ENCODING=UTF-8, which keeps
# every PDF on the UTF-8 (CID) fonts and UTF-16 strings that all PDFs used
# before (that path writes the very bytes it wrote then).  The reference is
# thus made at test time with the same libraries, fonts and poppler, so no
# stored image can go stale.  Every PDF must give the same pdftotext
# output, pdfinfo and outline titles, and the same pdftoppm pixels on every
# page; those whose text fits a code page have simple TrueType fonts and
# pdftotext prints no warning for them; Chinese stays on CID fonts; the
# characters come back exactly.  Needs poppler-utils, qpdf and
# /usr/bin/python3.
set -u

bin=$1
. "$(dirname "$0")/lib.sh"
scratch e2e_encoding
export SOURCE_DATE_EPOCH=1000000000
root=$(pwd)

$PY - "$tmp/names.csv" <<'EOF' || exit 1
import csv, sys

head = ["Projects ID", "Title", "Budget Amount (USD)", "Year", "IDF Region",
        "Benefiting Member States", "Description"]
rows = [
    ["CP1252", "Quotes \u2019single\u2019 \u201cdouble\u201d \u2013 \u20ac 5",
     "10", "2001", "Europe", "C\u00f4te d\u2019Ivoire",
     "A \u201cquoted\u201d line \u2013 with \u20ac and \u2019.\n- item"],
    ["TR-1", "\u015eanl\u0131urfa ve I\u011fd\u0131r g\u00f6\u00e7 projesi",
     "20", "2001", "Europe", "T\u00fcrkiye",
     "\u0130zmir, Mu\u011fla ve \u015e\u0131rnak"],
    ["PL-1", "\u0141\u00f3d\u017a i Gda\u0144sk \u2013 migracja", "30",
     "2001", "Europe", "Polska",
     "Wroc\u0142aw, \u015awi\u0119tokrzyskie, \u017bywiec, B\u0105k"],
    ["RO-1", "Constan\u0163a \u015fi Ia\u015fi", "40", "2001", "Europe",
     "Rom\u00e2nia", "\u0103 \u00e2 \u00ee \u015f \u0163"],
    ["RU-1", "\u041c\u043e\u0441\u043a\u0432\u0430", "50", "2001", "Europe",
     "\u0420\u043e\u0441\u0441\u0438\u044f", "\u2013 \u201e\u201c"],
    ["CN-1", "\u5317\u4eac migration", "60", "2001", "Asia", "China",
     "\u4e2d\u6587"],
    ["MIX-1", "\u0141\u00f3d\u017a and I\u011fd\u0131r", "70", "2001",
     "Europe", "", ""],
]
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(head)
    w.writerows(rows)
EOF

# render INPUT NAME [ENV]: one run into $tmp/NAME
render() {
    env ${3:-} "$bin" --input "$1" --output "$tmp/$2" --label out \
        --fonts "$root/fonts" --only briefs,summary --no-progress \
        >"$tmp/$2.log" 2>&1
}
for input in sample:"$root/input/projects.csv" names:"$tmp/names.csv"; do
    name=${input%%:*}
    check "$name: run" render "${input#*:}" "$name"
    check "$name: run with UTF-8 fonts" render "${input#*:}" "$name-utf8" \
        IOMREPORT_PDF_ENCODING=UTF-8
done

# same_reading A B: the same text, document information and outline
# titles, and the same pixels, page by page.
same_reading() {
    pdftotext "$1" "$tmp/a.txt" 2>/dev/null &&
        pdftotext "$2" "$tmp/b.txt" 2>/dev/null || return 1
    cmp "$tmp/a.txt" "$tmp/b.txt" || return 1
    for f in "$1" "$2"; do
        pdfinfo "$f" >"$f.info" || return 1
        grep -v '^File size:' "$f.info"
        qpdf --json --json-key=outlines "$f" | grep '"title"'
        echo
    done >"$tmp/meta.txt"
    n=$(($(wc -l <"$tmp/meta.txt") / 2))
    [ "$(head -n "$n" "$tmp/meta.txt")" = "$(tail -n "$n" "$tmp/meta.txt")" ] ||
        return 1
    rm -f "$tmp"/pa-* "$tmp"/pb-*
    pdftoppm -r 72 "$1" "$tmp/pa" && pdftoppm -r 72 "$2" "$tmp/pb" ||
        return 1
    [ "$(ls "$tmp"/pa-* | wc -l)" -eq "$(ls "$tmp"/pb-* | wc -l)" ] ||
        return 1
    for page in "$tmp"/pa-*; do
        cmp "$page" "$tmp/pb-${page##*/pa-}" || return 1
    done
}
# simple_fonts PDF: every font is a simple TrueType font, and pdftotext
# has nothing to warn about.
simple_fonts() {
    pdffonts "$1" | awk 'NR > 2 && $0 !~ / TrueType +(WinAnsi|Custom) / {
        bad = 1 } END { exit bad }' || return 1
    pdftotext "$1" /dev/null 2>"$tmp/warn" && [ ! -s "$tmp/warn" ]
}
cid_fonts() {
    pdffonts "$1" | grep -q 'CID TrueType'
}

n=0
for name in sample names; do
    for pdf in "$tmp/$name"/out/briefs/*.pdf "$tmp/$name"/out/summary.pdf; do
        rel=${pdf#"$tmp/$name"/out/}
        n=$((n + 1))
        check "$name $rel: same text and pixels as with UTF-8 fonts" \
            same_reading "$tmp/$name-utf8/out/$rel" "$pdf"
        case $rel in
        briefs/CN-1.pdf|briefs/MIX-1.pdf|summary.pdf)
            [ "$name" = sample ] && check "$name $rel: simple fonts" \
                simple_fonts "$pdf"
            [ "$name" = names ] && check "$name $rel: CID fonts" \
                cid_fonts "$pdf" ;;
        *)
            check "$name $rel: simple fonts, no warning" simple_fonts "$pdf" ;;
        esac
    done
done
[ "$n" -gt 40 ] && ok || bad "only $n PDFs compared"

# contains PDF TEXT: pdftotext gives back TEXT exactly.
contains() {
    pdftotext "$1" - 2>/dev/null | grep -qF "$2"
}
b=$tmp/names/out/briefs
check "’ “ ” – € come back" contains "$b/CP1252.pdf" \
    "Quotes ’single’ “double” – € 5"
check "Turkish comes back" contains "$b/TR-1.pdf" "Şanlıurfa ve Iğdır"
check "Turkish capitals come back" contains "$b/TR-1.pdf" \
    "İzmir, Muğla ve Şırnak"
check "Polish comes back" contains "$b/PL-1.pdf" "Łódź i Gdańsk – migracja"
check "Polish small letters come back" contains "$b/PL-1.pdf" \
    "Wrocław, Świętokrzyskie, Żywiec, Bąk"
check "Romanian comes back" contains "$b/RO-1.pdf" "Constanţa şi Iaşi"
check "Cyrillic comes back" contains "$b/RU-1.pdf" "Москва"
# DejaVu has no Chinese: the replacement character, which only the CID
# fonts hold, stands for each character
check "Chinese: replaced" contains "$b/CN-1.pdf" "�� migration"
# pdffonts names the code page only as Custom; the single-byte font's
# /Differences tell which: Turkish has the dotless i, Polish the l stroke.
check "Turkish brief: a Turkish code page" sh -c \
    "qpdf --qdf --object-streams=disable '$b/TR-1.pdf' - | grep -q dotlessi"
check "Polish brief: a Central European code page" sh -c \
    "qpdf --qdf --object-streams=disable '$b/PL-1.pdf' - | grep -q lslash"

finish e2e_encoding
