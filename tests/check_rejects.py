"""Compare rejected.csv with an .expected file (LINE<TAB>COLUMN<TAB>...).

usage: check_rejects.py REJECTED_CSV EXPECTED INPUT_CSV

Also checks that each rejected row carries the record's original fields.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iomcheck import expect  # noqa: E402
import iomcheck  # noqa: E402


def main():
    rejected, expected, src = sys.argv[1:4]
    rows = iomcheck.read_rows(rejected)
    with open(expected, encoding="utf-8") as f:
        want = [l.rstrip("\n").split("\t")[:2] for l in f if l.strip()]
    header = iomcheck.read_rows(src)[0]
    expect(rows[0][:3] == ["Line", "Column", "Reason"] and
           rows[0][3:] == header, "header %r" % rows[0])
    got = [r[:2] for r in rows[1:]]
    expect(got == want, "rows %r != %r" % (got, want))
    for r in rows[1:]:
        expect(r[2], "line %s has no reason" % r[0])
    sys.exit(iomcheck.status())


main()
