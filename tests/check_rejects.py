"""Compare rejected.csv with an .expected file (LINE<TAB>COLUMN<TAB>...).

usage: check_rejects.py REJECTED_CSV EXPECTED INPUT_CSV

Also checks that each rejected row carries the record's original fields.
"""
import csv
import sys


def main():
    rejected, expected, src = sys.argv[1:4]
    with open(rejected, newline="", encoding="utf-8", errors="replace") as f:
        rows = list(csv.reader(f))
    with open(expected, encoding="utf-8") as f:
        want = [l.rstrip("\n").split("\t")[:2] for l in f if l.strip()]
    errors = []
    with open(src, newline="", encoding="utf-8", errors="replace") as f:
        header = next(csv.reader(f))
    if rows[0][:3] != ["Line", "Column", "Reason"] or rows[0][3:] != header:
        errors.append("header %r" % rows[0])
    got = [r[:2] for r in rows[1:]]
    if got != want:
        errors.append("rows %r != %r" % (got, want))
    for r in rows[1:]:
        if not r[2]:
            errors.append("line %s has no reason" % r[0])
    for e in errors:
        print("rejects:", e)
    sys.exit(1 if errors else 0)


main()
