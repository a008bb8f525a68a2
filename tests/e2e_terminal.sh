#!/bin/sh
# End-to-end: a run on a terminal.  It ends with one line saying what was
# published where, with counts and time; the progress line ends before it;
# --outbox says how many messages went where; -v names the label, not the
# run's private folders; the dry-run tables keep their columns whatever
# the names; off a terminal (cron) none of this is said.
set -u
bin=$1
. tests/lib.sh
scratch e2e_terminal
o="$tmp/o"
tty() {
    $PY tests/check_terminal.py "$tmp/tty" "$bin" "$@"
}

tty --year 2001 -o "$o" --jobs 2
check "a terminal run exits 0" test $? -eq 0
tr -d '\r' <"$tmp/tty" >"$tmp/tty.txt"
check "it ends with one line: published where, counts, rejects, time" sh -c \
    "tail -n 1 '$tmp/tty.txt' | grep -Eqx 'iomreport: published $o/2001: 10 briefs, summary, workbook, book; 0 rejected; [0-9]+\\.[0-9] s'"
check "and nothing after that line ends (the prompt starts on its own)" sh -c \
    "[ \"\$(tail -c 1 '$tmp/tty' | od -An -c | tr -d ' ')\" = '\\n' ]"
check "the progress line ended before it" sh -c \
    "grep -q 'rendering \\[#*\\] 13/13\$' '$tmp/tty.txt' &&
     [ \$(grep -c '^iomreport: published' '$tmp/tty.txt') -eq 1 ]"
tty --year 2001 -o "$o" --jobs 1 --only summary
tr -d '\r' <"$tmp/tty" >"$tmp/tty.txt"
check "one worker: the progress line ends too" sh -c \
    "tail -n 1 '$tmp/tty.txt' | grep -q '^iomreport: published $o/2001: summary; 0 rejected; '"

tty --year 2001 -o "$o" --outbox "$tmp/outbox" --only summary
tr -d '\r' <"$tmp/tty" >"$tmp/tty.txt"
n=$(ls "$tmp/outbox" | wc -l)
check "--outbox says how many messages were written where" sh -c \
    "[ $n -gt 0 ] && tail -n 1 '$tmp/tty.txt' | grep -q '; $n messages written to $tmp/outbox/; '"

"$bin" --year 2001 -o "$o" -v --keep 1 2>"$tmp/err"
check "-v names the label" grep -q "^iomreport: published $o/2001: " \
    "$tmp/err"
check "-v names no private folder (.2001.run-, staging, scratch)" sh -c \
    "! grep -E '\\.2001\\.(run|staging|scratch)' '$tmp/err'"
"$bin" --year 2001 -o "$o" 2>"$tmp/err"
check "off a terminal, a good run says nothing (cron mails nothing)" \
    test ! -s "$tmp/err"

# Dry run: long names widen their column; one year is "Year covered".
"$bin" --dry-run --year 2001 >"$tmp/dry"
check "one year: 'Year covered: 2001', never 2001-2001" sh -c \
    "grep -qx 'Year covered: 2001' '$tmp/dry' && ! grep -q 2001-2001 '$tmp/dry'"
check "every table keeps its columns aligned" $PY - "$tmp/dry" <<'PYEOF'
import sys
blocks = open(sys.argv[1], encoding="utf-8").read().split("\n\n")[1:]
ok = bool(blocks)
for b in blocks:
    # the note under a share column is not a row of the table
    rows = [r for r in b.splitlines()
            if r and not r.startswith("Rounded shares may not add up")]
    widths = {len(r) for r in rows}
    ok = ok and len(widths) == 1 and len(rows) > 2
sys.exit(0 if ok else 1)
PYEOF

finish e2e_terminal
