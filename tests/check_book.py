"""Check book.pdf against the summary.pdf and briefs/ of the same run.

usage: check_book.py RUN CSV [--year FIRST[-LAST]] [--rejected CSV]

The book must be the summary followed by every brief of the selection in
the order of the summary's project list (largest budget first, ties by
ID), page for page the same text as those files (their footers aside);
every page's footer counts the book's pages; the outline holds the
summary's sections with one entry per project under "Projects", each to
its brief's first page; and each row of the project list links to that
page, with one link on each page a long row runs over, each within its
page (qpdf --json).  Prints one line per failed check and a count, and
exits 1 if any failed.
"""

import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iomcheck import expect  # noqa: E402
import iomcheck  # noqa: E402

FOOTER = re.compile(r"^IOM Development Fund · .*Page (\d+) of (\d+)\s*$")


def pages_text(path):
    out = subprocess.run(["pdftotext", "-layout", path, "-"], check=True,
                         stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout.decode("utf-8")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def body(page):
    """A page's text without its footer line, spaces collapsed (-layout
    spaces columns by the page's widest line)."""
    return [" ".join(l.split()) for l in page.split("\n")
            if l.strip() and not FOOTER.match(l.strip())]


def footers(pages):
    got = []
    for p in pages:
        m = [FOOTER.match(l.strip()) for l in p.split("\n")]
        m = [x for x in m if x]
        got.append((int(m[-1].group(1)), int(m[-1].group(2))) if m else None)
    return got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    iomcheck.add_input_arguments(ap)
    a = ap.parse_args()
    recs = iomcheck.input_records(a)
    order = sorted(recs, key=lambda r: (-r["cents"], r["id"].encode()))
    book = pages_text(os.path.join(a.run, "book.pdf"))
    parts = [pages_text(os.path.join(a.run, "summary.pdf"))]
    for r in order:
        parts.append(pages_text(os.path.join(a.run, "briefs",
                                             r["id"] + ".pdf")))
    firsts, at = [], 0
    for i, part in enumerate(parts):
        if i:
            firsts.append(at + 1)
        for k, page in enumerate(part):
            where = "book page %d (%s page %d)" % (
                at + 1, "summary" if i == 0 else order[i - 1]["id"], k + 1)
            expect(at < len(book) and body(book[at]) == body(page),
                   where + " differs")
            at += 1
    n = len(book)
    expect(at == n, "book has %d pages, its parts %d" % (n, at))
    expect(footers(book) == [(k + 1, n) for k in range(n)],
           "footers are not Page N of %d" % n)

    j = json.loads(subprocess.run(
        ["qpdf", "--json=1", "--json-key=objects", "--json-key=pages",
         "--json-key=outlines", os.path.join(a.run, "book.pdf")],
        check=True, stdout=subprocess.PIPE).stdout)
    objs = j["objects"]
    page_no = {p["object"]: i + 1 for i, p in enumerate(j["pages"])}
    roots = [o["title"] for o in j["outlines"]]
    # the project list, and so its entry, only when projects are selected
    expect(roots[0] == "Overview" and
           (roots[-1] == "Projects") == bool(recs), "outline %r" % roots)
    kids = j["outlines"][-1]["kids"] if recs else []
    expect([(k["title"].split(" · ")[0], k["destpageposfrom1"])
            for k in kids] == [(r["id"], f) for r, f in zip(order, firsts)],
           "outline entries under Projects are not the briefs in order")
    links = []
    for pobj, no in page_no.items():
        for ref in objs[pobj].get("/Annots", []):
            annot = objs[ref]
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot["/Dest"]
            dest = objs[dest] if isinstance(dest, str) else dest
            links.append((no, -annot["/Rect"][3], page_no.get(dest[0]),
                          annot["/Rect"]))
    links.sort()
    summary_pages = len(parts[0])
    expect(all(l[0] <= summary_pages for l in links),
           "links outside the summary")
    # a row that runs over pages has a link on each: one run of links to
    # each brief, on consecutive pages
    rows = []
    for no, _, dest, _ in links:
        if rows and rows[-1][0] == dest and no - rows[-1][2] <= 1:
            rows[-1][2] = no
        else:
            rows.append([dest, no, no])
    expect([r[0] for r in rows] == firsts,
           "project list links %r, wanted the briefs' first pages %r"
           % ([r[0] for r in rows][:5], firsts[:5]))
    # every link on its page (libharu refuses a rectangle past -32767)
    height = 841.89
    expect(all(0 <= min(r[1], r[3]) and max(r[1], r[3]) <= height
               for _, _, _, r in links),
           "a link rectangle off its page")
    print("check_book: %d projects, %d pages, %d links, %d checks, %d failed"
          % (len(recs), n, len(links), iomcheck.checks,
             len(iomcheck.failures)))
    return iomcheck.status()


if __name__ == "__main__":
    sys.exit(main())
