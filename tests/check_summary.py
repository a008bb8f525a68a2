"""Check summary.pdf against the input CSV, computed here independently.

usage: check_summary.py PDF CSV [--year FIRST[-LAST]] [--rejected CSV]
                        [--label LABEL]

Reads the CSV on its own (tests/iomcheck.py, Python's csv module) and
derives every figure of the summary from it (budgets to integer cents,
groups in the summary's order, shares each rounded on its own, the Region x Year
cells, the project order), then reads the PDF with `pdftotext -layout` and
compares: the cover figures, with the records accepted and rejected
beside them when some were rejected (and nothing when none were); every
row of the By Region / By Type / By Year tables (count, budget, share) and
that each Total row is the sum of the rows above it and says 100.0 %, with
the note on rounded shares under it; every cell, row and column total of
the Region x Year matrix; the project list in budget order with
each project exactly once and its table header on every page it runs over.
With --label, the outline (qpdf --json) must hold exactly one entry per
section.  Prints one line per failed check and a count of the checks, and
exits 1 if any failed.
"""

import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iomcheck import cents_of, expect, money  # noqa: E402
import iomcheck  # noqa: E402

DASH = "\u2013"
SHARES_NOTE = "Rounded shares may not add up to exactly 100.0 %."
MONEY = r"\d{1,3}(?:,\d{3})*\.\d\d"
SECTIONS = ["Overview", "By Region", "By Type", "By Year", "Region x Year",
            "Charts", "Data and definitions", "Projects"]
NOTES = "Data and definitions"
LIST_HEAD = re.compile(r"^\s*ID\s+Title\s+IDF Region\s+Project Type\s+Year"
                       r"\s+Budget \(USD\)\s*$")
GROUP_ROW = re.compile(r"^\s*(.*?)\s+(\d+)\s+(" + MONEY + r")\s+"
                       r"(\d+)\.(\d) %\s*$")
CELL = MONEY + "|" + DASH
MATRIX_ROW = re.compile(r"^\s*(.*?)((?:\s+(?:" + CELL + r"))+)\s*$")
LIST_ROW = re.compile(r"^\s*(\S+)\s.*\s(\d{4})\s+(" + MONEY + r")\s*$")
LIST_TOTAL = re.compile(r"^\s*Total\s+(\d+) projects?\s+(" + MONEY +
                        r")\s*$")


def groups(recs, key):
    """[(name, count, cents, tenths)] as the summary prints them."""
    return [(str(n), c, s, t) for n, c, s, t in iomcheck.groups(recs, key)]


def pdf_pages(path):
    out = subprocess.run(["pdftotext", "-layout", path, "-"], check=True,
                         stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    pages = out.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def sectioned(pages):
    """{section: [(page_no, line)]}, running bands and footers left out."""
    out = {s: [] for s in SECTIONS}
    out[None] = []
    cur = None
    for no, page in enumerate(pages, 1):
        for line in page.split("\n"):
            s = line.strip()
            if "Portfolio Summary" in s or "Portfolio summary" in s \
                    or re.search(r"Page \d+ of \d+\s*$", s):
                continue
            name = re.sub(r" \(continued\)$", "", s)
            if name in SECTIONS and (s == name or cur == name):
                cur = name
                continue
            if s.startswith("Budget by ") and cur == "Charts":
                continue
            out[cur].append((no, line))
    return out


def rows_of(lines, row_re, head_word):
    """Rows matched by row_re; lines between rows that match nothing
    continue the name of the row above (wrapped cells)."""
    rows = []
    for _, line in lines:
        s = line.strip()
        if not s or s.startswith(head_word):
            continue
        m = row_re.match(line)
        if m:
            rows.append([m.group(1).strip()] + list(m.groups()[1:]))
        elif rows:
            rows[-1][0] += " " + s
    return rows


def check_overview(lines, recs, args):
    text = [l.strip() for _, l in lines if l.strip()]
    words = iomcheck.rejected_words(*iomcheck.record_counts(args))
    said = [l for l in text if "rejected" in l]
    expect(said == ([words] if words else []),
           "overview says %r of the rejected records, wanted %r"
           % (said, words))
    f = iomcheck.figures(recs)
    years = f["years"]
    span = DASH if not years else str(years[0]) if years[0] == years[1] \
        else "%d%s%d" % (years[0], DASH, years[1])
    want = [[str(f["count"]), money(f["total"]), money(f["average"])],
            [money(f["median"]), str(f["states"]), span]]
    got = []
    for i, l in enumerate(text):
        if l.startswith("Projects") and "Total budget" in l or \
                l.startswith("Median budget"):
            got.append(text[i + 1].split() if i + 1 < len(text) else [])
    expect(got == want, "overview figures %r, wanted %r" % (got, want))


def check_groups(name, lines, recs, key, head_word):
    want = groups(recs, key)
    notes = [l for l in lines if l[1].strip() == SHARES_NOTE]
    text = [l for l in lines if l[1].strip()]
    expect(len(notes) == 1 and text and text[-1] == notes[0],
           "%s: the note on rounded shares is not under the table" % name)
    rows = rows_of([l for l in lines if l not in notes], GROUP_ROW,
                   head_word)
    if not expect(rows and rows[-1][0] == "Total",
                  "%s: no Total row" % name):
        return
    body, total = rows[:-1], rows[-1]
    got = [(r[0], int(r[1]), cents_of(r[2]), int(r[3]) * 10 + int(r[4]))
           for r in body]
    expect(got == want, "%s rows %r, wanted %r" % (name, got, want))
    count = sum(g[1] for g in got)
    cents = sum(g[2] for g in got)
    expect(int(total[1]) == count and cents_of(total[2]) == cents,
           "%s: Total row %r is not the sum of the rows (%d, %s)"
           % (name, total, count, money(cents)))
    expect(int(total[1]) == len(recs) and
           cents_of(total[2]) == sum(r["cents"] for r in recs),
           "%s: Total row %r differs from the input" % (name, total))
    # nothing to share out when every budget is zero
    full = 1000 if cents else 0
    expect(total[3:] == [str(full // 10), "0"],
           "%s: total row says %s.%s %%" % (name, total[3], total[4]))
    # equal budgets, equal shares
    by_cents = {}
    for g in got:
        by_cents.setdefault(g[2], set()).add(g[3])
    expect(all(len(v) == 1 for v in by_cents.values()),
           "%s: equal budgets with different shares" % name)


def check_matrix(lines, recs):
    years = sorted({r["year"] for r in recs})
    if len(years) < 2:
        expect(not lines, "a Region x Year matrix for one year")
        return
    if not expect(lines, "no Region x Year matrix"):
        return
    cell = {}
    for r in recs:
        k = (r["region"], str(r["year"]))
        cell[k] = cell.get(k, 0) + r["cents"]
    regions = sorted({r["region"] for r in recs}, key=iomcheck.group_key)
    got = {}
    cols = None
    for _, line in lines:
        s = line.strip()
        if s.startswith("IDF Region"):
            cols = s.split()[2:]
            name = None
            continue
        if cols is None or not s or s.startswith("Budget in USD"):
            continue
        m = MATRIX_ROW.match(line)
        vals = m.group(2).split() if m else []
        if m and len(vals) == len(cols):
            name = m.group(1).strip()
            got.setdefault(name, {})
            for c, v in zip(cols, vals):
                got[name][c] = 0 if v == DASH else cents_of(v)
        elif name is not None:
            # a wrapped region name: the row moves to the whole name, which
            # an earlier table of a split matrix may already hold
            row = got.pop(name)
            name += " " + s
            got.setdefault(name, {}).update(row)
    want = {}
    for reg in regions:
        want[reg] = {str(y): cell.get((reg, str(y)), 0) for y in years}
        want[reg]["Total"] = sum(want[reg].values())
    want["Total"] = {str(y): sum(want[reg][str(y)] for reg in regions)
                     for y in years}
    want["Total"]["Total"] = sum(r["cents"] for r in recs)
    expect(got == want, "Region x Year %r, wanted %r" % (got, want))
    for name, row in got.items():
        expect(sum(v for c, v in row.items() if c != "Total") ==
               row.get("Total"), "Region x Year: row %s does not add up"
               % name)
    for c in got.get("Total", {}):
        expect(sum(got[n].get(c, 0) for n in got if n != "Total") ==
               got["Total"][c], "Region x Year: column %s does not add up"
               % c)


def check_projects(lines, recs, pages):
    want = sorted(recs, key=lambda r: (-r["cents"], r["id"].encode()))
    rows, total, head_pages, total_page = [], None, set(), None
    reach = []      # the pages each row has lines on
    for no, line in lines:
        if LIST_HEAD.match(line):
            head_pages.add(no)
            continue
        m = LIST_TOTAL.match(line)
        if m:
            total = (int(m.group(1)), cents_of(m.group(2)))
            total_page = no
            continue
        m = LIST_ROW.match(line)
        if m:
            rows.append((no, m.group(1), cents_of(m.group(3))))
            reach.append({no})
        elif reach and line.strip():
            reach[-1].add(no)   # a wrapped cell, or a row run overleaf
    # an ID too long for its column wraps: its first line starts the row
    got_ids = [r[1] for r in rows]
    same = [w["id"].startswith(g) for g, w in zip(got_ids, want)]
    expect(len(rows) == len(want) and all(same),
           "project list: %d rows, wanted %d in budget order (first "
           "difference at %s)" % (len(rows), len(want),
                                  (same + [False]).index(False)))
    expect([r[2] for r in rows] == [r["cents"] for r in want],
           "project list: budgets differ from the input")
    expect(all(rows[i][2] >= rows[i + 1][2] for i in range(len(rows) - 1)),
           "project list: not largest budget first")
    expect(total == (len(recs), sum(r["cents"] for r in recs)) and
           total[1] == sum(r[2] for r in rows),
           "project list: Total row %r is not the sum of the rows" %
           (total,))
    # the Total keeps a few rows with it: never one row and the Total alone
    # on the last page (the end of a row run over pages counts)
    with_total = sum(1 for r in reach if total_page in r)
    expect(with_total >= min(3, len(rows)),
           "project list: %d rows with the Total on page %s"
           % (with_total, total_page))
    list_pages = {no for no, _ in lines}
    expect(head_pages == list_pages and
           list_pages == set(range(min(list_pages), len(pages) + 1)),
           "project list: runs over pages %s but has its header on %s" %
           (sorted(list_pages), sorted(head_pages)))
    return len(list_pages)


def notes_of(lines):
    """[(name, text)]: a name at the left margin, its text beside it and
    on the lines under it."""
    notes = []
    for _, line in lines:
        if not line.strip():
            continue
        m = re.match(r"^(\S.*?)\s{2,}(\S.*)$", line)
        if m and not line[0].isspace():
            notes.append([m.group(1), m.group(2).strip()])
        elif notes:
            notes[-1][1] += " " + line.strip()
    return [tuple(n) for n in notes]


def check_outline(path, want):
    out = subprocess.run(["qpdf", "--json", "--json-key=outlines", path],
                         check=True, stdout=subprocess.PIPE).stdout
    got = [o["title"] for o in json.loads(out)["outlines"]]
    expect(got == want, "outline %r, wanted %r" % (got, want))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf")
    iomcheck.add_input_arguments(ap)
    ap.add_argument("--label")
    a = ap.parse_args()
    recs = iomcheck.input_records(a)
    pages = pdf_pages(a.pdf)
    sec = sectioned(pages)
    check_overview(sec["Overview"], recs, a)
    want_sections = ["Overview"]
    if not recs:
        text = " ".join(l.strip() for _, l in sec["Overview"])
        expect("No project matched the selection" in text,
               "empty selection not said")
        expect(all(not sec[s] for s in SECTIONS[1:] if s != NOTES),
               "tables in an empty summary")
        want_sections.append(NOTES)
    else:
        check_groups("By Region", sec["By Region"], recs, "region",
                     "IDF Region")
        check_groups("By Type", sec["By Type"], recs, "type",
                     "Project Type")
        check_groups("By Year", sec["By Year"], recs, "year", "Year")
        check_matrix(sec["Region x Year"], recs)
        n = check_projects(sec["Projects"], recs, pages)
        print("check_summary: %d projects, %d pages, project list on %d"
              % (len(recs), len(pages), n))
        want_sections = [s for s in SECTIONS if s != "Region x Year" or
                         len({r["year"] for r in recs}) > 1]
    iomcheck.check_notes("summary", notes_of(sec[NOTES]), a, len(recs))
    check_outline(a.pdf, want_sections)
    print("check_summary: %d checks, %d failed"
          % (iomcheck.checks, len(iomcheck.failures)))
    return iomcheck.status()


if __name__ == "__main__":
    sys.exit(main())
