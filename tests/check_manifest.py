"""Check a published run folder against its manifest.json and the input.

usage: check_manifest.py RUN_DIR INPUT_CSV ACCEPTED REJECTED [YEARS]

Reads the input independently (tests/iomcheck.py), recomputes the number
of selected projects and their total budget in cents, and checks every
file listed in the manifest: present, same size, same SHA-256, and nothing
unlisted.
"""
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iomcheck import expect  # noqa: E402
import iomcheck  # noqa: E402


def main():
    run, src, accepted, rejected = sys.argv[1:5]
    years = sys.argv[5] if len(sys.argv) > 5 else ""
    with open(os.path.join(run, "manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    counts = m["counts"]
    expect(counts["accepted"] == int(accepted),
           "accepted %r" % counts["accepted"])
    expect(counts["rejected"] == int(rejected),
           "rejected %r" % counts["rejected"])
    # Records the run rejected (checked elsewhere against .expected files)
    # are left out of the independent totals.
    recs = iomcheck.selected(iomcheck.read_input(
        src, iomcheck.rejected_lines(os.path.join(run, "rejected.csv"))),
        years)
    total = sum(r["cents"] for r in recs)
    expect(counts["selected"] == len(recs),
           "selected %r != %r" % (counts["selected"], len(recs)))
    expect(m["total_budget"]["cents"] == total,
           "total %r != %r" % (m["total_budget"]["cents"], total))
    expect(m["total_budget"]["text"] == "USD " + iomcheck.money(total),
           "total text %r" % m["total_budget"]["text"])
    with open(src, "rb") as f:
        expect(m["input"]["sha256"] == hashlib.sha256(f.read()).hexdigest(),
               "input sha256")
    expect(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", m["created"]),
           "created %r" % m["created"])
    iomcheck.check_run_files(run, m)
    sys.exit(iomcheck.status())


main()
