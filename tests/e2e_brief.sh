#!/bin/sh
# e2e_brief: run BINARY with --only briefs on CSVs written here and check
# the briefs with poppler and qpdf: every field comes back from pdftotext
# in reading order (non-ASCII names included), fonts are embedded, the
# files pass qpdf --check, pdfinfo shows the metadata and page count, and
# the layout cases hold (long title, 20,000-word description,
# 500-character word, empty description, missing glyph).  Needs
# poppler-utils, qpdf and /usr/bin/python3.
set -u

bin=$1
. "$(dirname "$0")/lib.sh"
scratch e2e_brief
export SOURCE_DATE_EPOCH=1000000000
IOM_ORG="International Organization for Migration"

# The input files, and the words the checks look for, as Python writes
# them (CSV quoting, newlines and UTF-8 inside fields).
$PY - "$tmp" <<'EOF' || exit 1
import csv, json, random, sys

tmp = sys.argv[1]
head = ["Projects ID", "Title", "Start Date", "End Date", "Project Status",
        "Project Type", "Budget Amount (USD)", "Coverage", "Year",
        "IDF Region", "Benefiting Member States", "Description", "Prima ID"]
seed_desc = (
    "IOM and IMP convened a migration policy seminar for the Caribbean "
    "region in Jamaica from 28 May to 1 June 2001, as a follow-up to the "
    "regional meeting in Santo Domingo, Dominican Republic in November "
    "2000. The major aims of this seminar were to find common solutions to "
    "the challenges posed by labour migration, migrant trafficking, HIV/AIDS "
    "and irregular migration in general.\n"
    "The seminar helped prepare the way for: (a) the counter-trafficking "
    "meeting planned for the Caribbean later in 2001; and (b) concrete "
    "projects in key areas such as academic training for migration "
    "officials.")
ce_desc = ("The project \u201cMigration Management\u201d \u2013 phase one "
           "\u2013 had three parts:\n\n1. assessment of the border posts "
           "between C\u00f4te d\u2019Ivoire and its neighbours;\n2. training;"
           "\na) follow-up in S\u00e3o Tom\u00e9 and Pr\u00edncipe.")
seed = [
    ["T81-805", "International Migration Policy Seminar for the Caribbean "
     "Region", "2001", "2001", "Completed", "Migration Policy Activities",
     "37450.00", "Regional", "2001", "Latin America and the Caribbean",
     "Belize; Dominican Republic; Haiti", seed_desc, ""],
    ["CE.0134", "Migration Management in C\u00f4te d'Ivoire and S\u00e3o "
     "Tom\u00e9 and Pr\u00edncipe", "2001-05", "2002-06-30", "Ongoing",
     "Immigration and Borders", "59,625", "Multi-country", "2001", "Africa",
     "C\u00f4te d'Ivoire; S\u00e3o Tom\u00e9 and Pr\u00edncipe; "
     "T\u00fcrkiye; Cura\u00e7ao", ce_desc, "BW10P0006"],
]
random.seed(3)
vocab = ["migration", "policy", "C\u00f4te", "d\u2019Ivoire", "S\u00e3o",
         "Tom\u00e9", "Pr\u00edncipe", "T\u00fcrkiye", "Cura\u00e7ao",
         "capacity", "remittances", "\u201cquoted\u201d", "border"]
words = ["w%05d%s" % (i, random.choice(vocab)) for i in range(20000)]
paras, i = [], 0
while i < len(words):
    n = random.randint(30, 400)
    paras.append(" ".join(words[i:i + n]))
    i += n
big = "\n\n".join(paras[:3]) + "\n1. " + paras[3] + "\n2. " + \
    "\n".join(paras[4:])
word500 = "".join(random.choice("abcdefghijklmnopqrstuvwxyz")
                  for _ in range(500))
long_title = ("Strengthening the Capacity of the Governments of West and "
              "Central Africa to Manage Labour Migration, Protect Migrant "
              "Workers and Engage Diasporas in C\u00f4te d'Ivoire, Ghana, "
              "Senegal and S\u00e3o Tom\u00e9 and Pr\u00edncipe")
common = ["2002", "2003", "Completed", "Labour Migration", "100000",
          "National", "2002", "Africa", "Ghana"]
layout = [
    ["LONGTITLE", long_title] + common + ["Short description.", ""],
    ["BIG", "A project with a very long description"] + common + [big, ""],
    ["WORD500", "An unbreakable word"] + common +
    ["Before " + word500 + " after.", ""],
    ["EMPTY", "No description at all"] + common[:3] + [""] + common[4:7] +
    [""] + common[8:] + ["", ""],
    ["LONGBOTH", long_title] + common + [big, ""],
    ["STATES", "Fifteen member states"] + common[:-1] +
    ["Bahamas; Barbados; Cabo Verde; Comoros; Federated States of "
     "Micronesia; Fiji; Jamaica; Maldives; Mauritius; Papua New Guinea; "
     "Samoa; S\u00e3o Tom\u00e9 and Pr\u00edncipe; Seychelles; "
     "Timor-Leste; Tonga", "A short description.", ""],
    ["GLYPH", "A glyph the font lacks"] + common +
    ["Chinese \u4e2d\u6587 and an emoji \U0001F600 in the text.", ""],
]
for name, rows in (("seed", seed), ("layout", layout)):
    with open("%s/%s.csv" % (tmp, name), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(head)
        w.writerows(rows)
json.dump({"words": words, "word500": word500, "long_title": long_title,
           "seed_desc": seed_desc, "ce_desc": ce_desc},
          open(tmp + "/expect.json", "w"))
EOF

# inorder PDF STRING...: the strings occur in this order in the PDF's text,
# whitespace (line breaks included) collapsed to single spaces.
cat >"$tmp/inorder.py" <<'EOF'
import re, subprocess, sys
text = subprocess.run(["pdftotext", "-raw", sys.argv[1], "-"],
                      capture_output=True, check=True).stdout.decode()
text = re.sub(r"\s+", " ", text)
at = 0
for want in sys.argv[2:]:
    want = re.sub(r"\s+", " ", want)
    i = text.find(want, at)
    if i < 0:
        print("e2e_brief: %s: %r missing after offset %d: ...%r" %
              (sys.argv[1], want, at, text[at:at + 80]))
        sys.exit(1)
    at = i + len(want)
EOF
inorder() { $PY "$tmp/inorder.py" "$@"; }

# expect KEY: a text the input generator saved for the checks.
expect() {
    $PY -c 'import json, sys
print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$tmp/expect.json" "$1"
}

# find_brief NAME: the brief NAME.pdf in OUTPUT/LABEL/briefs/.
find_brief() {
    find -L "$tmp/out" -path "*/briefs/$1.pdf" 2>/dev/null | head -n 1
}

# info PDF FIELD: one pdfinfo field, value only.
info() {
    pdfinfo "$1" 2>/dev/null | sed -n "s/^$2: *//p"
}

# The checks every brief gets: valid file, fonts embedded, metadata, one
# "Page N of M" per page, no word right of the right margin.
common_checks() {
    f=$1
    check "$f: qpdf --check" qpdf --check "$f"
    fonts=$(pdffonts "$f" 2>/dev/null | tail -n +3)
    if [ -n "$fonts" ] &&
       echo "$fonts" | awk '$(NF-4) != "yes" { exit 1 }'; then
        ok
    else
        bad "$f: fonts not embedded: $fonts"
    fi
    check "$f: Author" [ "$(info "$f" Author)" = "$IOM_ORG" ]
    case $(info "$f" Creator) in
        "iomreport "*) ok ;;
        *) bad "$f: Creator is '$(info "$f" Creator)'" ;;
    esac
    check "$f: Subject" \
        [ "$(info "$f" Subject)" = "IOM Development Fund project brief" ]
    case $(info "$f" CreationDate) in
        *2001*) ok ;;
        *) bad "$f: CreationDate not from SOURCE_DATE_EPOCH" ;;
    esac
    # a colour or font is set again only when it changes (per content
    # stream: each page has its own), and lines of text that follow one
    # another share one text object (ET, then only colour, then BT: once
    # at most, for the footer of a page left for the next one)
    if qpdf --qdf --object-streams=disable "$f" - 2>/dev/null | awk '
        / (rg|Tf)$/ { k = $NF; if (last[k] == $0) { print; bad = 1 }
                      last[k] = $0; next }
        /^BT$/ && ended && joins++ { print "ET ... BT"; bad = 1 }
        { ended = $0 == "ET" }
        /^endstream/ { delete last; joins = 0 }
        END { exit bad }' >"$tmp/state.dup"; then
        ok
    else
        bad "$f: state set again: $(head -n 2 "$tmp/state.dup")"
    fi
    pages=$(info "$f" Pages)
    n=1
    while [ "$n" -le "$pages" ]; do
        printf '%s\n' "Page $n of $pages"
        n=$((n + 1))
    done >"$tmp/pages.txt"
    pdftotext -raw "$f" - 2>/dev/null | grep -o 'Page [0-9]* of [0-9]*' |
        cmp -s - "$tmp/pages.txt" ||
        bad "$f: footers are not Page 1..$pages of $pages"
    pdftotext -bbox "$f" - 2>/dev/null | $PY -c '
import re, sys
page = None
for line in sys.stdin:
    m = re.search(r"<page width=\"([\d.]+)\"", line)
    if m:
        page = float(m.group(1))
    m = re.search(r"xMin=\"([\d.]+)\".*xMax=\"([\d.]+)\"", line)
    if m and (float(m.group(1)) < 40 or float(m.group(2)) > page - 40):
        sys.exit("word outside the margins: " + line.strip())
' || bad "$f: text runs off the page"
}

# --- the seed and a project with non-ASCII names -------------------------
"$bin" --input "$tmp/seed.csv" --output "$tmp/out" --year 2001 \
    --only briefs 2>"$tmp/seed.err"
rc=$?
check "seed run exits 0 (exit $rc)" [ "$rc" -eq 0 ]
check "seed run prints nothing" [ ! -s "$tmp/seed.err" ]
seed=$(find_brief T81-805)
ce=$(find_brief CE.0134)
check "brief T81-805.pdf written" [ -n "$seed" ]
check "brief CE.0134.pdf written" [ -n "$ce" ]
manifest=$(find -L "$tmp/out" -name manifest.json 2>/dev/null | head -n 1)
check "manifest.json written" [ -n "$manifest" ]

if [ -n "$seed" ]; then
    common_checks "$seed"
    check "$seed: one page" [ "$(info "$seed" Pages)" = 1 ]
    check "$seed: Title" [ "$(info "$seed" Title)" = \
        "International Migration Policy Seminar for the Caribbean Region" ]
    check "$seed: Keywords" [ "$(info "$seed" Keywords)" = \
        "Latin America and the Caribbean; Migration Policy Activities; 2001" ]
    desc1=$(expect seed_desc | sed -n 1p)
    desc2=$(expect seed_desc | sed -n 2p)
    check "$seed: every field in order" inorder "$seed" \
        "IOM Development Fund" "Project Brief" \
        "International Migration Policy Seminar for the Caribbean Region" \
        "Start Date 2001" "End Date 2001" "Project Status Completed" \
        "Project Type Migration Policy Activities" \
        "Budget Amount (USD) USD 37,450.00" "Coverage Regional" \
        "Year 2001" "IDF Region Latin America and the Caribbean" \
        "Projects ID T81-805" \
        "Benefiting Member States Belize Dominican Republic Haiti" \
        "Description" "$desc1" "$desc2" "T81-805" "Page 1 of 1"
    if pdftotext -raw "$seed" - 2>/dev/null | grep -q 'Prima ID'; then
        bad "$seed: Prima ID shown although empty"
    else
        ok
    fi
fi

if [ -n "$ce" ]; then
    common_checks "$ce"
    check "$ce: Title" [ "$(info "$ce" Title)" = \
        "Migration Management in Côte d'Ivoire and São Tomé and Príncipe" ]
    check "$ce: every field in order" inorder "$ce" \
        "Migration Management in Côte d'Ivoire and São Tomé and Príncipe" \
        "Start Date 2001-05" "End Date 2002-06-30" "Project Status Ongoing" \
        "Project Type Immigration and Borders" \
        "Budget Amount (USD) USD 59,625.00" "Coverage Multi-country" \
        "Year 2001" "IDF Region Africa" "Projects ID CE.0134" \
        "Prima ID BW10P0006" "Benefiting Member States" \
        "Côte d'Ivoire" "São Tomé and Príncipe" "Türkiye" "Curaçao" \
        "Description" "The project “Migration Management” – phase one – had" \
        "1. assessment of the border posts between Côte d’Ivoire" \
        "2. training;" "a) follow-up in São Tomé and Príncipe."
fi

# --- layout cases ---------------------------------------------------------
"$bin" --input "$tmp/layout.csv" --output "$tmp/out" --year 2002 \
    --only briefs 2>"$tmp/layout.err"
rc=$?
check "layout run exits 0 (exit $rc)" [ "$rc" -eq 0 ]
for name in LONGTITLE BIG WORD500 EMPTY GLYPH LONGBOTH STATES; do
    f=$(find_brief "$name")
    if [ -z "$f" ]; then
        bad "no brief $name.pdf"
        continue
    fi
    common_checks "$f"
done

f=$(find_brief LONGTITLE)
if [ -n "$f" ]; then
    title=$(expect long_title)
    check "$f: the long title in order" inorder "$f" "$title" \
        "Start Date 2002" "Description" "Short description."
    check "$f: Title" [ "$(info "$f" Title)" = "$title" ]
fi

f=$(find_brief BIG)
if [ -n "$f" ]; then
    pages=$(info "$f" Pages)
    check "$f: more than one page" [ "${pages:-0}" -gt 1 ]
    pdftotext -raw "$f" "$tmp/big.txt" 2>/dev/null
    check "$f: every word of the description" $PY -c '
import json, sys
want = json.load(open(sys.argv[1]))["words"]
got = set(open(sys.argv[2], encoding="utf-8").read().split())
missing = [w for w in want if w not in got]
if missing:
    sys.exit("%d of %d words missing, e.g. %s"
             % (len(missing), len(want), missing[:3]))
' "$tmp/expect.json" "$tmp/big.txt"
fi

f=$(find_brief WORD500)
if [ -n "$f" ]; then
    word=$(expect word500)
    # the word is broken over lines: compare with all whitespace removed
    pdftotext -raw "$f" - 2>/dev/null | tr -d ' \n\f' |
        grep -q "Before${word}after\." && ok ||
        bad "$f: 500-character word not whole"
fi

# Continuation pages name the project in their running band: its ID and
# its title, shortened with an ellipsis to one line.
f=$(find_brief BIG)
if [ -n "$f" ]; then
    check "$f: page 2's band names the project" sh -c \
        "pdftotext -f 2 -l 2 -layout '$f' - 2>/dev/null | sed -n 1p |
         grep -q '^ *IOM Development Fund · Project Brief · BIG · A project with a very long description *\$'"
fi
f=$(find_brief LONGBOTH)
if [ -n "$f" ]; then
    check "$f: page 2's band shortens the long title" sh -c \
        "pdftotext -f 2 -l 2 -layout '$f' - 2>/dev/null | sed -n 1p |
         grep -q '^ *IOM Development Fund · Project Brief · LONGBOTH · Strengthening the Capacity of .*[^ ]…\$' &&
         ! pdftotext -f 2 -l 2 -layout '$f' - 2>/dev/null | sed -n 2,3p | grep -q 'Príncipe'"
fi
# A long member-state list flows in columns: two names share a line, and
# the brief stays on one page.
f=$(find_brief STATES)
if [ -n "$f" ]; then
    check "$f: member states in columns, one page" sh -c \
        "[ \$(pdfinfo '$f' 2>/dev/null | sed -n 's/^Pages: *//p') -eq 1 ] &&
         pdftotext -layout '$f' - 2>/dev/null | grep -q 'Bahamas  *Mauritius' &&
         pdftotext -layout '$f' - 2>/dev/null | grep -q 'Tonga' &&
         pdftotext -layout '$f' - 2>/dev/null | grep -q 'Timor-Leste'"
fi

f=$(find_brief EMPTY)
if [ -n "$f" ]; then
    check "$f: empty type and region are Unspecified, as in the summary" \
        inorder "$f" "No description at all" "Project Type Unspecified" \
        "IDF Region Unspecified" "Benefiting Member States Ghana" \
        "Description No description." "Page 1 of 1"
    check "$f: no other word for an empty field" sh -c \
        "! pdftotext '$f' - 2>/dev/null | grep -qi 'not specified'"
fi

f=$(find_brief GLYPH)
if [ -n "$f" ]; then
    check "$f: missing glyphs as U+FFFD" inorder "$f" "Description" \
        "Chinese ��" "and an emoji �" "in the text."
    n=$(grep -c '^iomreport: warning: .*GLYPH.*U+4E2D' "$tmp/layout.err")
    check "one warning for the missing glyphs" [ "$n" -eq 1 ]
fi
# the only warnings are the missing glyphs of GLYPH
check "no other warning" [ "$(grep -c . "$tmp/layout.err")" -eq 1 ]

# libharu's memory helpers are iomreport's: the dynamic linker binds
# libharu's own calls to them (they clear and copy a byte at a time).
LD_DEBUG=bindings "$bin" --version >/dev/null 2>"$tmp/bindings"
for f in HPDF_MemSet HPDF_MemCpy; do
    check "libharu's calls to $f reach iomreport's" grep -q \
        "binding file [^ ]*libhpdf[^ ]* \\[0\\] to [^ ]*iomreport[^ ]* \\[0\\]: normal symbol \`$f'" \
        "$tmp/bindings"
done

finish e2e_brief
