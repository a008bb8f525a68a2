"""Checks the messages of a delivery (tests/e2e_send.sh), read with
Python's email package, against the published run and the stakeholders.

    check_send.py RUN_DIR STAKEHOLDERS PROJECTS MAIL_DIR [options]

MAIL_DIR holds the messages as .eml files (the SMTP sink's or an outbox).
Every stakeholder must have received exactly the files that match its
regions, member states and Send list, each once, byte-identical to the
published file (SHA-256 of manifest.json).  Options:
  --absent A,B      these addresses must have received nothing
  --also DIR        a file may also be the one of run folder DIR (a
                    delivery resumed by a later run of the same input)
  --prev DIR        --changed-only: only files that differ from DIR's
                    manifest are expected
  --max-bytes N     a message of several attachments is at most N bytes
  --parts           at least one stakeholder's message came in parts
"""
import argparse
import csv
import email
import email.policy
import glob
import hashlib
import json
import os
import re
import sys

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def items(s):
    return [x.strip() for x in re.split(r"[;|]", s or "") if x.strip()]


def lower(v):
    return {x.lower() for x in v}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("stakeholders")
    ap.add_argument("projects")
    ap.add_argument("mail")
    ap.add_argument("--absent", default="")
    ap.add_argument("--prev")
    ap.add_argument("--also", action="append", default=[])
    ap.add_argument("--max-bytes", type=int)
    ap.add_argument("--parts", action="store_true")
    a = ap.parse_args()
    errors = []

    manifest = json.load(open(os.path.join(a.run, "manifest.json")))
    sha = {f["path"]: f["sha256"] for f in manifest["files"]}
    allowed = {p: {d} for p, d in sha.items()}
    for d in a.also:
        for f in json.load(open(os.path.join(d, "manifest.json")))["files"]:
            allowed.setdefault(f["path"], set()).add(f["sha256"])
    prev = None
    if a.prev:
        prev = {f["path"]: f["sha256"] for f in
                json.load(open(os.path.join(a.prev, "manifest.json")))["files"]}
    projects = {r["Projects ID"].strip(): r for r in
                csv.DictReader(open(a.projects, encoding="utf-8-sig"))}
    absent = lower(items(a.absent.replace(",", ";")))

    expected = {}
    for s in csv.DictReader(open(a.stakeholders, encoding="utf-8-sig")):
        addr = s["Email"].strip().lower()
        if addr in absent:
            continue
        send = lower(items(s["Send"]))
        regions = lower(items(s.get("Regions")))
        states = lower(items(s.get("Member States")))
        want = set()
        if "summary" in send and "summary.pdf" in sha:
            want.add("summary.pdf")
        if "workbook" in send and "rollup.xlsx" in sha:
            want.add("rollup.xlsx")
        for path in sha:
            if not (path.startswith("briefs/") and "briefs" in send):
                continue
            p = projects[path[len("briefs/"):-len(".pdf")]]
            region = (p["IDF Region"].strip() or "Unspecified").lower()
            pstates = lower(items(p["Benefiting Member States"]))
            if regions and region not in regions:
                continue
            if states and not (states & pstates):
                continue
            want.add(path)
        if prev is not None:
            want = {w for w in want if prev.get(w) != sha[w]}
        if want:
            expected[addr] = want

    got = {}
    parted = False
    for f in sorted(glob.glob(os.path.join(a.mail, "*.eml"))):
        raw = open(f, "rb").read()
        if re.search(rb"(?<!\r)\n", raw):
            errors.append("%s: a line does not end in CRLF" % f)
        if any(len(line) > 998 for line in raw.split(b"\r\n")):
            errors.append("%s: a line is over 998 bytes" % f)
        m = email.message_from_bytes(raw, policy=email.policy.default)
        to = m["To"].addresses[0].addr_spec.lower()
        for h in ("From", "Date", "Message-ID", "Subject"):
            if not m[h]:
                errors.append("%s: no %s header" % (f, h))
        if "part " in str(m["Subject"]):
            parted = True
        n = 0
        for part in m.iter_attachments():
            n += 1
            name = part.get_filename()
            path = name if name in ("summary.pdf", "rollup.xlsx") else \
                "briefs/" + name
            ctype = XLSX if name.endswith(".xlsx") else PDF
            if part.get_content_type() != ctype:
                errors.append("%s: %s has type %s" %
                              (f, name, part.get_content_type()))
            for line in part.as_string().split("\n"):
                if len(line.rstrip("\r")) > 76 and ":" not in line:
                    errors.append("%s: base64 line over 76" % f)
                    break
            digest = hashlib.sha256(part.get_payload(decode=True)).hexdigest()
            if digest not in allowed.get(path, ()):
                errors.append("%s: %s differs from the published file" %
                              (f, name))
            if path in got.setdefault(to, {}):
                errors.append("%s: %s received twice by %s" % (f, name, to))
            got[to][path] = f
        if a.max_bytes and n > 1 and len(raw) > a.max_bytes:
            errors.append("%s: %d bytes, over %d" % (f, len(raw),
                                                     a.max_bytes))

    for addr in sorted(set(expected) | set(got)):
        e = expected.get(addr, set())
        g = set(got.get(addr, {}))
        if e != g:
            errors.append("%s: expected %s, received %s" %
                          (addr, sorted(e), sorted(g)))
    if a.parts and not parted:
        errors.append("no message was split into parts")
    for e in errors:
        print(e)
    print("%d recipients, %d files checked" %
          (len(got), sum(len(v) for v in got.values())))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
