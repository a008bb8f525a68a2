"""A published run folder is whole: every file its manifest.json lists is
there with the listed size and SHA-256, and nothing else is.

usage: check_published.py DIR/LABEL
"""
import hashlib
import json
import os
import sys


def main():
    run = sys.argv[1]
    with open(os.path.join(run, "manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    bad = []
    listed = set()
    for e in m["files"]:
        listed.add(e["path"])
        try:
            with open(os.path.join(run, e["path"]), "rb") as f:
                data = f.read()
        except OSError as err:
            bad.append("%s: %s" % (e["path"], err))
            continue
        if len(data) != e["bytes"] or \
                hashlib.sha256(data).hexdigest() != e["sha256"]:
            bad.append("%s differs from the manifest" % e["path"])
    for d, _, files in os.walk(run):
        for name in files:
            rel = os.path.relpath(os.path.join(d, name), run)
            if rel != "manifest.json" and rel not in listed:
                bad.append("%s is not in the manifest" % rel)
    for b in bad:
        print("check_published:", b)
    sys.exit(1 if bad else 0)


main()
