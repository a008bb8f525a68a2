"""A published run folder is whole: every file its manifest.json lists is
there with the listed size and SHA-256, and nothing else is.

usage: check_published.py DIR/LABEL
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import iomcheck  # noqa: E402


def main():
    run = sys.argv[1]
    with open(os.path.join(run, "manifest.json"), encoding="utf-8") as f:
        iomcheck.check_run_files(run, json.load(f))
    sys.exit(iomcheck.status())


main()
