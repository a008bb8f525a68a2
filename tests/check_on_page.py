"""Check that every word of a PDF is drawn where the page design puts it.

usage: check_on_page.py PDF...

Reads each PDF with `pdftotext -bbox` and checks, page by page: every word
lies within the page; under the footer rule (44 points above the page's
bottom edge) there is only the footer line, "IOM Development Fund · ...
Page N of M"; and every other word ends above the bottom margin of the
text flow (64 points), so that nothing runs over the footer.  pdftotext
leaves out what is drawn off the page: compare the text it extracts with
the input to catch that.  Prints one line per failed check and a count,
and exits 1 if any failed.
"""

import html
import re
import subprocess
import sys

FOOTER_RULE = 44.0
BOTTOM = 64.0
SLACK = 0.5
FOOTER = re.compile(r"^IOM Development Fund · .* Page \d+ of \d+$")
PAGE = re.compile(r'<page width="([0-9.]+)" height="([0-9.]+)">')
WORD = re.compile(r'<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" '
                  r'xMax="([-0-9.]+)" yMax="([-0-9.]+)">(.*)</word>')


def pages(path):
    """[(width, height, [(xmin, ymin, xmax, ymax, text)])], y from the
    top, as pdftotext -bbox gives them."""
    out = subprocess.run(["pdftotext", "-bbox", path, "-"], check=True,
                         stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout.decode("utf-8")
    got = []
    for line in out.split("\n"):
        m = PAGE.search(line)
        if m:
            got.append((float(m.group(1)), float(m.group(2)), []))
            continue
        m = WORD.search(line)
        if m and got:
            box = [float(v) for v in m.groups()[:4]]
            got[-1][2].append(tuple(box) + (html.unescape(m.group(5)),))
    return got


def main():
    bad, checked = [], 0
    for path in sys.argv[1:]:
        for no, (width, height, words) in enumerate(pages(path), 1):
            where = "%s page %d" % (path, no)
            checked += 1
            off = [w for w in words if w[0] < -SLACK or w[1] < -SLACK or
                   w[2] > width + SLACK or w[3] > height + SLACK]
            if off:
                bad.append("%s: %r off the page" % (where, off[0][4][:40]))
            foot = [w for w in words if w[1] > height - FOOTER_RULE]
            text = " ".join(w[4] for w in sorted(foot))
            if not FOOTER.match(text) or \
                    max(w[1] for w in foot) - min(w[1] for w in foot) > SLACK:
                bad.append("%s: under the footer rule: %r" % (where, text[:80]))
            low = [w for w in words if w not in foot and
                   w[3] > height - BOTTOM + SLACK]
            if low:
                bad.append("%s: %r below the text flow (y %.1f of %.1f)"
                           % (where, low[0][4][:40], low[0][3], height))
    for b in bad:
        print("check_on_page: " + b)
    print("check_on_page: %d pages, %d failed" % (checked, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
