"""Check rollup.xlsx against the input CSV, computed here independently.

usage: check_xlsx.py XLSX CSV --label LABEL --epoch SECONDS
                     [--year FIRST[-LAST]] [--rejected REJECTED_CSV]
                     [--lo-dir DIR]

Reads the CSV on its own (tests/iomcheck.py, Python's csv module) and
derives every figure of the workbook from it (budgets to integer cents,
groups, shares as budget/total formulas, totals), then opens the workbook twice with openpyxl: once
for the formulas and formats, once with data_only=True for the cached
results.  With --lo-dir, the CSV files LibreOffice wrote for every sheet
after recalculating are compared with the cached totals too.  Prints one
line per failed check and a count of the checks, and exits 1 if any failed.
"""

import argparse
import csv
import datetime
import os
import re
import sys
import zipfile

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iomcheck import COLUMNS, expect, fail  # noqa: E402
import iomcheck  # noqa: E402

SHEETS = ["Summary", "Projects", "By Region", "By Type", "By Year",
          "Region x Year", "Notes"]
MONEY = "#,##0.00"
SHARE = "0.0%"
CELL_MAX = 32767
PRECISIONS = ["Start Date precision", "End Date precision"]
SHARES_NOTE = "Rounded shares may not add up to exactly 100.0 %."
MARKER = re.compile(r" \[truncated: (\d+) characters omitted\]$")


MIDNIGHT = re.compile(r"[ T]00:00(:00(\.0+)?)?")


def parse_date(text):
    """None, or (precision, datetime of its first day, number format); for
    a date the forms do not read, ("as given: TEXT", None, None)."""
    if text == "":
        return None
    day = text[:10]
    if len(text) > 10 and MIDNIGHT.fullmatch(text[10:]):
        text = day
    for prec, fmt, shown in (("year", "%Y", "yyyy"), ("month", "%Y-%m",
                             "yyyy-mm"), ("day", "%Y-%m-%d", "yyyy-mm-dd")):
        try:
            d = datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
        # strptime takes "2001-4" and "200": the forms have every digit
        if len(text) == len(fmt) + 2 and 1951 <= d.year <= 2100:
            return (prec, d, shown)
    return ("as given: " + text, None, None)


def dollars(cents):
    return cents / 100.0


def cell_text(s):
    """What the workbook holds for text 's' (None for an empty field)."""
    return s if s != "" else None


def same_text(got, exp, where):
    """Text equal, or cut to Excel's limit with a marker that adds up."""
    if exp is None or got == exp:
        return expect(got == exp, "%s: %r != %r" % (where, got, exp))
    m = MARKER.search(got or "")
    if not expect(m is not None, "%s: text differs from input" % where):
        return False
    kept = got[:m.start()]
    units = len(got.encode("utf-16-le")) // 2
    return (expect(exp.startswith(kept), "%s: cut text is no prefix" % where)
            and expect(len(kept) + int(m.group(1)) == len(exp),
                       "%s: omitted count wrong" % where)
            and expect(units <= CELL_MAX, "%s: %d units" % (where, units)))


def check_properties(wb, label, epoch):
    p = wb.properties
    expect(p.title == "IOM Development Fund roll-up, " + label,
           "title %r" % p.title)
    expect(bool(p.subject), "subject empty")
    expect(p.creator == "iomreport", "author %r" % p.creator)
    want = datetime.datetime.utcfromtimestamp(epoch or 1)
    expect(p.created == want, "created %r != %r" % (p.created, want))


def check_company(path):
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode("utf-8")
    expect("<Company>International Organization for Migration</Company>"
           in app, "company missing from docProps/app.xml")


def check_summary(ws, recs, epoch):
    vals = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, ws.max_row + 1)}
    f = iomcheck.figures(recs)
    years = f["years"]
    span = ("none" if not years else str(years[0]) if years[0] == years[1]
            else "%d-%d" % years)
    want = {
        "Projects": f["count"],
        "Total budget (USD)": dollars(f["total"]),
        "Average budget (USD)": dollars(f["average"]),
        "Median budget (USD)": dollars(f["median"]),
        "Benefiting member states": f["states"],
        "Years covered": span,
        "Generated (UTC)": datetime.datetime.utcfromtimestamp(epoch),
    }
    for label, value in want.items():
        if expect(label in vals, "Summary: no %r" % label):
            expect(vals[label].value == value, "Summary %s: %r != %r"
                   % (label, vals[label].value, value))
    for label in ("Total budget (USD)", "Average budget (USD)",
                  "Median budget (USD)"):
        if label in vals:
            expect(vals[label].number_format == MONEY,
                   "Summary %s format %r" % (label, vals[label].number_format))
    expect(str(vals.get("Tool version").value).startswith("iomreport "),
           "Summary: tool version")
    expect(vals.get("Selection") is not None
           and bool(vals["Selection"].value), "Summary: selection")


def check_projects(ws, cached, recs):
    n = len(recs)
    head = [c.value for c in ws[1]]
    expect(head == COLUMNS + PRECISIONS, "Projects header %r" % head)
    expect(all(c.font.b for c in ws[1]), "Projects header not bold")
    expect(ws.freeze_panes == "B2", "freeze panes %r" % ws.freeze_panes)
    expect(ws.auto_filter.ref == "A1:O%d" % (n + 1),
           "autofilter %r" % ws.auto_filter.ref)
    expect(ws.max_row == n + 2, "Projects has %d rows for %d projects"
           " and the Total" % (ws.max_row - 1, n))
    for col in "ABKL":
        w = ws.column_dimensions[col].width
        expect(w is not None and 8 <= w <= 85, "width of %s: %r" % (col, w))
    targets = set()
    for i, r in enumerate(recs):
        row = ws[i + 2]
        where = "Projects row %d (%s)" % (i + 2, r["id"])
        cid = row[0]
        same_text(cid.value, r["id"], where + " ID")
        if expect(cid.hyperlink is not None, where + ": no hyperlink"):
            t = cid.hyperlink.target
            targets.add(t)
            if re.fullmatch(r"[A-Za-z0-9._-]+", r["id"]) and \
                    not r["id"].startswith("."):
                expect(t == "briefs/%s.pdf" % r["id"], where + ": link " + t)
            else:
                expect(re.fullmatch(r"briefs/[A-Za-z0-9._~-]+\.pdf", t)
                       is not None, where + ": link " + t)
        # type and region as the file has them: an empty one stays empty
        # here, and only the group sheets say Unspecified
        texts = [(1, "title"), (4, "status"), (5, "Project Type"),
                 (7, "coverage"), (9, "IDF Region"), (11, "description"),
                 (12, "prima")]
        for col, key in texts:
            c = row[col]
            same_text(c.value, cell_text(r[key]), "%s %s" % (where, key))
            expect(c.data_type != "f", "%s %s is a formula" % (where, key))
        same_text(row[10].value, cell_text("; ".join(r["states"])),
                  where + " states")
        # one type a column: every date a date, shown as precise as the
        # export has it, with its precision in its own column; one that
        # cannot be read has no date, its precision column its text
        for col, pcol, key in ((2, 13, "start"), (3, 14, "end")):
            c, d = row[col], parse_date(r[key])
            if d is None or d[1] is None:
                expect(c.value is None and row[pcol].value ==
                       (d[0] if d else None),
                       "%s %s %r %r" % (where, key, c.value,
                                        row[pcol].value))
                continue
            expect(c.value == d[1] and c.number_format == d[2] and
                   c.is_date, "%s %s %r %r" % (where, key, c.value,
                                               c.number_format))
            expect(row[pcol].value == d[0], "%s %s precision %r"
                   % (where, key, row[pcol].value))
        b = row[6]
        expect(b.value == dollars(r["cents"]) and b.number_format == MONEY,
               "%s budget %r %r" % (where, b.value, b.number_format))
        expect(row[8].value == r["year"] and isinstance(row[8].value, int),
               "%s year %r" % (where, row[8].value))
    expect(len(targets) == n, "brief links are not unique")
    total = sum(r["cents"] for r in recs)
    expect(ws.cell(n + 2, 1).value == "Total" and ws.cell(n + 2, 1).font.b,
           "Projects: no Total row")
    f = sum_formula(7, 2, 7, n + 1)
    if n:
        expect(ws.cell(n + 2, 7).value == f, "Projects total %r != %r"
               % (ws.cell(n + 2, 7).value, f))
    expect(cached.cell(n + 2, 7).value == dollars(total) and
           ws.cell(n + 2, 7).number_format == MONEY,
           "Projects total cached %r" % cached.cell(n + 2, 7).value)
    return [(n + 2, 7, dollars(total))]


def col_letter(i):
    return openpyxl.utils.get_column_letter(i)


def sum_formula(c1, r1, c2, r2):
    """=SUM over a range; a one-cell range is written as the cell."""
    a = "%s%d" % (col_letter(c1), r1)
    b = "%s%d" % (col_letter(c2), r2)
    return "=SUM(%s)" % (a if a == b else a + ":" + b)


def check_groups(ws, cached, recs, key, head):
    gs = iomcheck.groups(recs, key)
    n, total_cents = len(gs), sum(r["cents"] for r in recs)
    expect([c.value for c in ws[1]] == [head, "Projects", "Budget (USD)",
                                        "Share"], ws.title + " header")
    shown = []
    for i, (name, count, cents, _) in enumerate(gs):
        r = i + 2
        where = "%s row %d" % (ws.title, r)
        expect(ws.cell(r, 1).value == name, "%s name %r != %r"
               % (where, ws.cell(r, 1).value, name))
        expect(ws.cell(r, 2).value == count, where + " count")
        expect(ws.cell(r, 3).value == dollars(cents)
               and ws.cell(r, 3).number_format == MONEY, where + " budget")
        expect(ws.cell(r, 4).number_format == SHARE, where + " share format")
        # the budget over the Total row's budget, which the reader can check
        want_share = dollars(cents) / dollars(total_cents) if total_cents \
            else 0
        if total_cents:
            f = "=C%d/C$%d" % (r, n + 2)
            expect(ws.cell(r, 4).value == f, "%s share formula %r != %r"
                   % (where, ws.cell(r, 4).value, f))
        # libxlsxwriter stores 16 significant digits, not every bit
        share = cached.cell(r, 4).value
        expect(abs(share - want_share) <= 1e-15, "%s share %r, wanted %r"
               % (where, share, want_share))
        shown.append((r, 4, want_share))
    r = n + 2
    expect(ws.cell(r, 1).value == "Total", ws.title + " total row")
    want = [(2, len(recs)), (3, dollars(total_cents))]
    for col, value in want:
        f = sum_formula(col, 2, col, n + 1)
        where = "%s total %s%d" % (ws.title, col_letter(col), r)
        if n:
            expect(ws.cell(r, col).value == f, "%s formula %r != %r"
                   % (where, ws.cell(r, col).value, f))
        expect(cached.cell(r, col).value == value, "%s cached %r != %r"
               % (where, cached.cell(r, col).value, value))
    # the Total row says 100.0 %, or 0 when there is nothing to share out
    want.append((4, 1.0 if total_cents else 0))
    if total_cents:
        expect(ws.cell(r, 4).value == "=C%d/C$%d" % (r, r),
               "%s total share formula %r" % (ws.title, ws.cell(r, 4).value))
    expect(cached.cell(r, 4).value == want[-1][1], "%s total share %r"
           % (ws.title, cached.cell(r, 4).value))
    if n:
        expect(ws.cell(r + 2, 1).value == SHARES_NOTE,
               "%s: no note on rounded shares under the table" % ws.title)
    expect(len(ws._charts) == (1 if n else 0), ws.title + " chart count %d"
           % len(ws._charts))
    return [(r, col, value) for col, value in want] + shown


def check_crosstab(ws, cached, recs):
    """Both blocks; returns (row, col, value) of every total cell."""
    regions = [g[0] for g in iomcheck.groups(recs, "region")]
    years = [g[0] for g in iomcheck.groups(recs, "year")]
    nr, ny = len(regions), len(years)
    last = ny + 2
    totals = []
    for top, what, value_of in ((1, "Budget (USD)", lambda rs: dollars(
            sum(r["cents"] for r in rs))), (nr + 4, "Projects", len)):
        head = [ws.cell(top, c).value for c in range(1, last + 1)]
        expect(head == [what] + years + ["Total"], "crosstab header %r" % head)
        cells = {}
        for i, reg in enumerate(regions + [None]):
            row = top + 1 + i
            name = ws.cell(row, 1).value
            expect(name == (reg or "Total"), "crosstab row %d %r" % (row, name))
            for j, yr in enumerate(years + [None]):
                col = 2 + j
                rs = [r for r in recs if (reg is None or r["region"] == reg)
                      and (yr is None or r["year"] == yr)]
                value = value_of(rs)
                if reg is not None and yr is not None:
                    got = ws.cell(row, col).value
                    expect(got == (value if rs else None),
                           "crosstab %s%d %r != %r"
                           % (col_letter(col), row, got, value))
                    continue
                if reg is None:
                    f = sum_formula(col, top + 1, col, top + nr)
                    empty = nr == 0
                else:
                    f = sum_formula(2, row, last - 1, row)
                    empty = ny == 0
                if not empty:
                    expect(ws.cell(row, col).value == f, "crosstab %s%d %r"
                           " != %r" % (col_letter(col), row,
                                       ws.cell(row, col).value, f))
                got = cached.cell(row, col).value
                expect(got == value, "crosstab cached %s%d %r != %r"
                       % (col_letter(col), row, got, value))
                totals.append((row, col, value))
                cells[(row, col)] = value
    return totals


def check_print(wb, path, n_years):
    """Every sheet prints on A4, one page wide, its header row on every
    page, a footer with its name and Page N of M; landscape when wide.
    Charts sit under their tables, every category labelled, every bar
    with its value."""
    for ws in wb:
        ps, where = ws.page_setup, "%s page setup" % ws.title
        wide = ws.title.startswith("Projects") or \
            (ws.title == "Region x Year" and n_years > 6)
        expect(ps.paperSize == 9, "%s: paper %r" % (where, ps.paperSize))
        expect(ps.orientation == ("landscape" if wide else "portrait"),
               "%s: %s" % (where, ps.orientation))
        expect(ws.sheet_properties.pageSetUpPr is not None and
               ws.sheet_properties.pageSetUpPr.fitToPage and
               ps.fitToWidth in (None, 1) and ps.fitToHeight == 0,
               "%s: not one page wide" % where)
        expect(ws.print_title_rows == "$1:$1",
               "%s: repeats %r" % (where, ws.print_title_rows))
        expect(ws.oddFooter.left.text == "&A" and
               ws.oddFooter.right.text == "Page &P of &N",
               "%s: footer %r %r" % (where, ws.oddFooter.left.text,
                                      ws.oddFooter.right.text))
    for name in ("By Region", "By Type", "By Year"):
        ws = wb[name]
        n = ws.max_row - 4   # rows: header, groups, Total, blank, note
        for ch in ws._charts:
            expect(ch.anchor._from.row == n + 5 and ch.anchor._from.col == 0,
                   "%s: chart at row %d" % (name, ch.anchor._from.row))
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if re.fullmatch(r"xl/charts/chart\d+\.xml", name):
                xml = z.read(name).decode("utf-8")
                expect('<c:showVal val="1"/>' in xml,
                       "%s: no values on the bars" % name)
                expect('<c:tickLblSkip val="1"/>' in xml,
                       "%s: category labels skipped" % name)


def check_no_formula_text(path):
    """No text the input gave may reach a <f> element."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                xml = z.read(name).decode("utf-8")
                for f in re.findall(r"<f>([^<]*)</f>", xml):
                    expect(re.fullmatch(r"SUM\([A-Z]+\d+(:[A-Z]+\d+)?\)"
                                        r"|C\d+/C\$\d+", f)
                           is not None, "%s: formula %r" % (name, f))


def check_libreoffice(lo_dir, stem, totals):
    """LibreOffice's recalculated values equal the cached totals."""
    for sheet, cells in totals.items():
        path = "%s/%s-%s.csv" % (lo_dir, stem, sheet)
        try:
            with open(path, encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
        except OSError as e:
            fail("LibreOffice output %s: %s" % (path, e))
            continue
        for row, col, value in cells:
            try:
                text = rows[row - 1][col - 1]
                # Even raw, LibreOffice writes a percentage as "36.8%",
                # so a share is checked to the tenth it shows.
                shown = text.endswith("%")
                got = float(text[:-1]) / 100 if shown else float(text)
            except (IndexError, ValueError):
                fail("LibreOffice %s %s%d missing" % (sheet, col_letter(col),
                                                     row))
                continue
            tol = 0.0005 + 1e-12 if shown else 1e-9 * max(1.0, abs(value))
            expect(abs(got - value) <= tol,
                   "LibreOffice %s %s%d %r != cached %r"
                   % (sheet, col_letter(col), row, got, value))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("xlsx")
    iomcheck.add_input_arguments(ap)
    ap.add_argument("--label", required=True)
    ap.add_argument("--epoch", type=int, required=True)
    ap.add_argument("--lo-dir")
    a = ap.parse_args()

    recs = iomcheck.input_records(a)
    wb = openpyxl.load_workbook(a.xlsx)
    cached = openpyxl.load_workbook(a.xlsx, data_only=True)
    expect(wb.sheetnames == SHEETS, "sheets %r" % wb.sheetnames)
    if wb.sheetnames != SHEETS:
        return 1
    check_properties(wb, a.label, a.epoch)
    check_company(a.xlsx)
    check_summary(wb["Summary"], recs, a.epoch)
    totals = {"Projects": check_projects(wb["Projects"], cached["Projects"],
                                         recs)}
    for sheet, key, head in (("By Region", "region", "IDF Region"),
                             ("By Type", "type", "Project Type"),
                             ("By Year", "year", "Year")):
        totals[sheet] = check_groups(wb[sheet], cached[sheet], recs, key,
                                     head)
    totals["Region x Year"] = check_crosstab(wb["Region x Year"],
                                             cached["Region x Year"], recs)
    ws = wb["Notes"]
    expect(ws.cell(1, 1).value == "Data and definitions" and
           ws.cell(1, 1).font.b, "Notes: no title")
    iomcheck.check_notes("workbook Notes", [
        (ws.cell(r, 1).value, ws.cell(r, 2).value)
        for r in range(3, ws.max_row + 1)], a, len(recs))
    expect(all(ws.cell(r, 2).alignment.wrap_text
               for r in range(3, ws.max_row + 1)), "Notes: text not wrapped")
    check_print(wb, a.xlsx, len({r["year"] for r in recs}))
    check_no_formula_text(a.xlsx)
    if a.lo_dir:
        stem = re.sub(r"\.xlsx$", "", a.xlsx.rsplit("/", 1)[-1])
        check_libreoffice(a.lo_dir, stem, totals)
    print("check_xlsx: %s: %d projects, %d checks, %d failures"
          % (a.xlsx, len(recs), iomcheck.checks, len(iomcheck.failures)))
    return iomcheck.status()


if __name__ == "__main__":
    sys.exit(main())
