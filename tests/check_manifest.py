"""Check a published run folder against its manifest.json and the input.

usage: check_manifest.py RUN_DIR INPUT_CSV ACCEPTED REJECTED [YEARS]

Reads the input independently (Python's csv module), recomputes the total
budget of the selected years in cents, and checks every file listed in the
manifest: present, same size, same SHA-256, and nothing unlisted.
"""
import csv
import hashlib
import json
import os
import re
import sys


def cents(text):
    text = text.strip().replace(",", "")
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def main():
    run, src, accepted, rejected = sys.argv[1:5]
    years = sys.argv[5] if len(sys.argv) > 5 else ""
    with open(os.path.join(run, "manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    errors = []
    if m["counts"]["accepted"] != int(accepted):
        errors.append("accepted %r" % m["counts"]["accepted"])
    if m["counts"]["rejected"] != int(rejected):
        errors.append("rejected %r" % m["counts"]["rejected"])
    # Records the run rejected (checked elsewhere against .expected files)
    # are left out of the independent totals.
    with open(os.path.join(run, "rejected.csv"), newline="", encoding="utf-8",
              errors="replace") as f:
        bad_lines = {int(r[0]) for r in list(csv.reader(f))[1:]}
    rows = []
    with open(src, newline="", encoding="utf-8-sig", errors="replace") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        start = reader.line_num + 1
        for fields in reader:
            if fields and start not in bad_lines:
                rows.append(dict(zip(header, fields)))
            start = reader.line_num + 1
    first, last = 0, 9999
    if years:
        a, _, b = years.partition("-")
        first, last = int(a), int(b or a)
    total = 0
    selected = 0
    for r in rows:
        r = {k: (v or "").strip() for k, v in r.items()}
        year = r.get("year") or r.get("start date", "")[:4]
        if first <= int(year) <= last:
            total += cents(r["budget amount (usd)"])
            selected += 1
    if m["counts"]["selected"] != selected:
        errors.append("selected %r != %r" % (m["counts"]["selected"], selected))
    if m["total_budget"]["cents"] != total:
        errors.append("total %r != %r" % (m["total_budget"]["cents"], total))
    want_text = "USD {:,}.{:02d}".format(total // 100, total % 100)
    if m["total_budget"]["text"] != want_text:
        errors.append("total text %r" % m["total_budget"]["text"])
    with open(src, "rb") as f:
        if m["input"]["sha256"] != hashlib.sha256(f.read()).hexdigest():
            errors.append("input sha256")
    if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", m["created"]):
        errors.append("created %r" % m["created"])
    listed = set()
    for e in m["files"]:
        p = os.path.join(run, e["path"])
        listed.add(e["path"])
        with open(p, "rb") as f:
            data = f.read()
        if len(data) != e["bytes"] or hashlib.sha256(data).hexdigest() != e["sha256"]:
            errors.append("file %s differs from the manifest" % e["path"])
    on_disk = set()
    for d, _, files in os.walk(run):
        for name in files:
            on_disk.add(os.path.relpath(os.path.join(d, name), run))
    on_disk.discard("manifest.json")
    if on_disk != listed:
        errors.append("unlisted or missing files: %r" % (on_disk ^ listed))
    for e in errors:
        print("manifest:", e)
    sys.exit(1 if errors else 0)


main()
