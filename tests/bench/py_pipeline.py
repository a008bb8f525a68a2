#!/usr/bin/python3
"""Reference pipeline: the job of iomreport as a team would script it.

    py_pipeline.py INPUT.csv OUTDIR [--year Y] [--jobs N] [--fonts DIR]

Debian's python3-pandas, python3-reportlab and python3-xlsxwriter: pandas
reads and validates the export, reportlab's platypus lays out one PDF brief
per project and the portfolio summary (tables, bar charts, project list,
bookmarks, "Page N of M"), XlsxWriter writes the roll-up workbook.  The
benchmark in this folder times it against iomreport on the same input, so
it does the same work a competent script would: embedded TrueType fonts
(reportlab subsets them per document), exact cent totals, rejected records
written out, a manifest with sizes and SHA-256.  It does not do what a
script usually skips: atomic publication, locking, fsync.
"""

import argparse
import datetime
import hashlib
import json
import multiprocessing
import os
import re
import sys
from xml.sax.saxutils import escape

import pandas as pd
import xlsxwriter
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (KeepTogether, PageBreak, Paragraph,
                                SimpleDocTemplate, Spacer, Table, TableStyle)

COLS = ["Projects ID", "Title", "Start Date", "End Date", "Project Status",
        "Project Type", "Budget Amount (USD)", "Coverage", "Year",
        "IDF Region", "Benefiting Member States", "Description", "Prima ID"]
REQUIRED = ["Projects ID", "Title", "Budget Amount (USD)"]
FACTS = ["Projects ID", "Prima ID", "Start Date", "End Date",
         "Project Status", "Project Type", "Budget Amount (USD)", "Coverage",
         "Year", "IDF Region", "Benefiting Member States"]
BLUE = colors.HexColor("#0033A0")
LIGHT = colors.HexColor("#E6ECF7")
VERSION = "py-reference 1.0"

styles = {}


def setup_fonts(font_dir):
    pdfmetrics.registerFont(TTFont("DejaVu",
                                   os.path.join(font_dir, "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold",
                                   os.path.join(font_dir,
                                                "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold",
                                  italic="DejaVu", boldItalic="DejaVu-Bold")
    styles["body"] = ParagraphStyle("body", fontName="DejaVu", fontSize=10,
                                    leading=13.5, spaceAfter=4)
    styles["item"] = ParagraphStyle("item", parent=styles["body"],
                                    leftIndent=14, firstLineIndent=-10)
    styles["title"] = ParagraphStyle("title", fontName="DejaVu-Bold",
                                     fontSize=18, leading=22, spaceAfter=8,
                                     textColor=BLUE)
    styles["h1"] = ParagraphStyle("h1", fontName="DejaVu-Bold", fontSize=14,
                                  leading=18, spaceBefore=8, spaceAfter=6,
                                  textColor=BLUE)
    styles["label"] = ParagraphStyle("label", fontName="DejaVu-Bold",
                                     fontSize=9, leading=11.5)
    styles["cell"] = ParagraphStyle("cell", fontName="DejaVu", fontSize=9,
                                    leading=11.5)
    styles["small"] = ParagraphStyle("small", fontName="DejaVu", fontSize=8,
                                     leading=10)
    styles["num"] = ParagraphStyle("num", parent=styles["small"],
                                   alignment=TA_RIGHT)


def money(cents):
    return "{:,}.{:02d}".format(cents // 100, cents % 100)


def safe_name(pid, used):
    name = re.sub(r"[^A-Za-z0-9._-]", "_", pid)[:100] or "_"
    if name.startswith("."):
        name = "_" + name[1:]
    base, k = name, 2
    while name in used:
        name = "%s_%d" % (base[:95], k)
        k += 1
    used.add(name)
    return name


# ---------------------------------------------------------------- reading

def load(path, years):
    df = pd.read_csv(path, dtype=str, keep_default_na=False,
                     encoding="utf-8-sig", skip_blank_lines=True)
    df.columns = [c.strip() for c in df.columns]
    by_lower = {c.lower(): c for c in df.columns}
    missing = [c for c in REQUIRED if c.lower() not in by_lower]
    if missing:
        sys.exit("py_pipeline: %s: missing column %s" % (path, missing[0]))
    df = df.rename(columns={by_lower[c.lower()]: c for c in COLS
                            if c.lower() in by_lower})
    for c in COLS:
        if c not in df.columns:
            df[c] = ""
        df[c] = df[c].str.strip()
    df["line"] = df.index + 2  # close enough without multi-line records

    reason = pd.Series("", index=df.index)
    for c in REQUIRED:
        reason = reason.mask((reason == "") & (df[c] == ""),
                             c + ": missing")
    amount = df["Budget Amount (USD)"].str.replace(",", "", regex=False)
    ok_amount = amount.str.fullmatch(r"\d+(\.\d{1,2})?")
    reason = reason.mask((reason == "") & ~ok_amount & (amount != ""),
                         "Budget Amount (USD): not an amount")
    year = df["Year"].where(df["Year"] != "", df["Start Date"].str[:4])
    year_n = pd.to_numeric(year, errors="coerce")
    reason = reason.mask((reason == "") &
                         ~year_n.between(1951, 2100),
                         "Year: missing or out of range")
    dup = df["Projects ID"].duplicated() & (df["Projects ID"] != "")
    reason = reason.mask((reason == "") & dup, "Projects ID: duplicate")

    bad = df[reason != ""].copy()
    bad["reason"] = reason[reason != ""]
    for _, r in bad.iterrows():
        print("py_pipeline: %s:%d: %s" % (path, r["line"], r["reason"]),
              file=sys.stderr)
    good = df[reason == ""].copy()
    good["cents"] = (pd.to_numeric(amount[reason == ""]) * 100).round() \
        .astype("int64")
    good["Year"] = year_n[reason == ""].astype("int64")
    good["IDF Region"] = good["IDF Region"].replace("", "Unspecified")
    good["Project Type"] = good["Project Type"].replace("", "Unspecified")
    if years:
        good = good[good["Year"].isin(years)]
    return df, good, bad


# ---------------------------------------------------------------- PDFs

class NumberedCanvas(canvas.Canvas):
    """The usual two-pass recipe for "Page N of M" footers."""

    footer = ""

    def __init__(self, *args, **kwargs):
        canvas.Canvas.__init__(self, *args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("DejaVu", 8)
            self.setFillColor(colors.grey)
            self.drawString(20 * mm, 12 * mm, self.footer)
            self.drawRightString(A4[0] - 20 * mm, 12 * mm,
                                 "Page %d of %d" % (self._pageNumber, total))
            canvas.Canvas.showPage(self)
        canvas.Canvas.save(self)


def canvas_with_footer(text):
    return type("FooterCanvas", (NumberedCanvas,), {"footer": text})


def header_band(kind):
    def draw(c, doc):
        c.saveState()
        c.setFillColor(BLUE)
        c.rect(0, A4[1] - 22 * mm, A4[0], 22 * mm, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont("DejaVu-Bold", 13)
        c.drawString(20 * mm, A4[1] - 13 * mm, "IOM Development Fund")
        c.setFont("DejaVu", 11)
        c.drawRightString(A4[0] - 20 * mm, A4[1] - 13 * mm, kind)
        c.restoreState()
    return draw


def doc_template(path, title, subject, keywords, cls=SimpleDocTemplate):
    return cls(path, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
               topMargin=30 * mm, bottomMargin=20 * mm, title=title,
               subject=subject, author="International Organization for "
               "Migration", creator=VERSION, keywords=keywords)


def para(text, style):
    return Paragraph(escape(text), styles[style])


def fact_value(rec, col):
    v = rec[col]
    if col == "Budget Amount (USD)":
        return "USD " + money(rec["cents"])
    if col == "Benefiting Member States":
        items = [s.strip() for s in re.split(r"[;|]", v) if s.strip()]
        return "<br/>".join(escape(s) for s in items)
    return escape(str(v))


def render_brief(job):
    rec, path = job
    doc = doc_template(path, rec["Title"], "Project Brief",
                       "%s, %s, %s" % (rec["IDF Region"], rec["Project Type"],
                                       rec["Year"]))
    story = [para(rec["Title"], "title")]
    rows = [[para(c, "label"), Paragraph(fact_value(rec, c), styles["cell"])]
            for c in FACTS if c != "Prima ID" or rec[c]]
    facts = Table(rows, colWidths=[45 * mm, 125 * mm])
    facts.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (0, -1), LIGHT),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [facts, Spacer(1, 6 * mm), para("Description", "h1")]
    for line in rec["Description"].split("\n"):
        line = line.strip()
        if not line:
            story.append(Spacer(1, 3 * mm))
        elif re.match(r"^(\d+[.)]|[a-z][.)])\s", line):
            story.append(para(line, "item"))
        else:
            story.append(para(line, "body"))
    band = header_band("Project Brief")
    doc.build(story, onFirstPage=band, onLaterPages=band,
              canvasmaker=canvas_with_footer(rec["Projects ID"]))
    return path


class OutlinedDoc(SimpleDocTemplate):
    """Adds a bookmark for every h1 heading."""

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            key = "s%d" % id(flowable)
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, 0)


def group_table(good, by, total_cents, label):
    g = good.groupby(by)["cents"].agg(["size", "sum"]).sort_index()
    rows = [[label, "Projects", "Budget (USD)", "Share"]]
    for name, r in g.iterrows():
        rows.append([para(str(name), "small"), str(r["size"]),
                     money(int(r["sum"])),
                     "%.1f %%" % (100.0 * r["sum"] / total_cents)
                     if total_cents else "-"])
    rows.append(["Total", str(len(good)), money(total_cents), "100.0 %"])
    t = Table(rows, colWidths=[80 * mm, 22 * mm, 40 * mm, 22 * mm],
              repeatRows=1)
    t.setStyle(table_style())
    return g, t


def table_style(total_row=True, numbers_from=1):
    cmds = [("FONT", (0, 0), (-1, -1), "DejaVu", 8),
            ("FONT", (0, 0), (-1, 0), "DejaVu-Bold", 8),
            ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
            ("ALIGN", (numbers_from, 0), (-1, -1), "RIGHT"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, BLUE),
            ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if total_row:
        cmds += [("FONT", (0, -1), (-1, -1), "DejaVu-Bold", 8),
                 ("LINEABOVE", (0, -1), (-1, -1), 0.6, BLUE)]
    return TableStyle(cmds)


def bar_chart(g, title):
    d = Drawing(170 * mm, 12 * mm + 9 * mm * len(g))
    ch = HorizontalBarChart()
    ch.x, ch.y = 70 * mm, 8 * mm
    ch.width, ch.height = 95 * mm, 9 * mm * len(g)
    ch.data = [[v / 100.0 for v in g["sum"]]]
    ch.categoryAxis.categoryNames = [str(n)[:40] for n in g.index]
    ch.categoryAxis.labels.fontName = "DejaVu"
    ch.categoryAxis.labels.fontSize = 7
    ch.categoryAxis.labels.boxAnchor = "e"
    ch.valueAxis.valueMin = 0
    ch.valueAxis.labels.fontName = "DejaVu"
    ch.valueAxis.labels.fontSize = 7
    ch.valueAxis.labelTextFormat = lambda v: "{:,.0f}".format(v)
    ch.bars[0].fillColor = BLUE
    d.add(ch)
    return [para(title, "h1"), d]


def render_summary(good, path, label):
    total = int(good["cents"].sum())
    n = len(good)
    states = set()
    for v in good["Benefiting Member States"]:
        states.update(s.strip() for s in re.split(r"[;|]", v) if s.strip())
    doc = doc_template(path, "Portfolio summary " + label,
                       "Portfolio summary", label, cls=OutlinedDoc)
    cover = [
        ["Projects", str(n)],
        ["Total budget", "USD " + money(total)],
        ["Average budget", "USD " + money(total // n if n else 0)],
        ["Median budget", "USD " + money(int(good["cents"].median())
                                         if n else 0)],
        ["Benefiting member states", str(len(states))],
        ["Years covered", "%d-%d" % (good["Year"].min(), good["Year"].max())
         if n else "-"]]
    t = Table(cover, colWidths=[60 * mm, 80 * mm])
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVu", 10),
                           ("FONT", (0, 0), (0, -1), "DejaVu-Bold", 10),
                           ("GRID", (0, 0), (-1, -1), 0.4, colors.lightgrey)]))
    story = [para("Portfolio summary " + label, "title"),
             para("Key figures", "h1"), t]
    groups = {}
    for col, head in [("IDF Region", "Region"), ("Project Type", "Type"),
                      ("Year", "Year")]:
        g, t = group_table(good, col, total, head)
        groups[col] = g
        story += [para("By " + head.lower(), "h1"), t]
    if good["Year"].nunique() > 1:
        x = good.pivot_table(index="Year", columns="IDF Region",
                             values="cents", aggfunc="sum", fill_value=0)
        head = ["Year"] + [para(str(c), "small") for c in x.columns] + \
            ["Total"]
        rows = [head] + [[str(y)] + [money(int(v)) for v in r] +
                         [money(int(r.sum()))] for y, r in x.iterrows()]
        rows.append(["Total"] + [money(int(v)) for v in x.sum()] +
                    [money(total)])
        w = 150 * mm / (len(x.columns) + 1)
        t = Table(rows, colWidths=[18 * mm] + [w] * (len(x.columns) + 1),
                  repeatRows=1)
        t.setStyle(table_style())
        story += [para("Region by year", "h1"), t]
    story += [PageBreak()]
    story += bar_chart(groups["IDF Region"], "Budget by region (USD)")
    story += bar_chart(groups["Project Type"], "Budget by type (USD)")
    story += [PageBreak(), para("Projects", "h1")]
    ordered = good.sort_values(["cents", "Projects ID"],
                               ascending=[False, True])
    head = ["ID", "Title", "Region", "Type", "Year", "Budget (USD)"]
    widths = [18 * mm, 62 * mm, 27 * mm, 33 * mm, 10 * mm, 22 * mm]
    # Page-sized tables: one table of every project makes platypus re-split
    # the remainder on each page, quadratic in the number of projects.
    rows = [[r["Projects ID"], para(r["Title"], "small"),
             para(r["IDF Region"], "small"), para(r["Project Type"], "small"),
             str(r["Year"]), money(r["cents"])]
            for r in ordered.to_dict("records")]
    for i in range(0, len(rows), 100):
        t = Table([head] + rows[i:i + 100], colWidths=widths, repeatRows=1)
        t.setStyle(table_style(total_row=False, numbers_from=4))
        story.append(t)
    band = header_band("Portfolio Summary")
    doc.build(story, onFirstPage=band, onLaterPages=band,
              canvasmaker=canvas_with_footer("Portfolio summary " + label))
    return groups


# ---------------------------------------------------------------- workbook

def render_workbook(good, groups, path, label, names, created):
    wb = xlsxwriter.Workbook(path, {"strings_to_numbers": False,
                                    "strings_to_formulas": False,
                                    "strings_to_urls": False})
    wb.set_properties({"title": "Roll-up " + label,
                       "subject": "IOM Development Fund portfolio",
                       "author": "International Organization for Migration",
                       "company": "International Organization for Migration",
                       "created": created})
    bold = wb.add_format({"bold": True, "bg_color": "#E6ECF7"})
    cash = wb.add_format({"num_format": "#,##0.00"})
    cash_b = wb.add_format({"num_format": "#,##0.00", "bold": True})
    pct = wb.add_format({"num_format": "0.0%"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    link = wb.add_format({"font_color": "blue", "underline": 1})
    total = int(good["cents"].sum())
    n = len(good)

    ws = wb.add_worksheet("Summary")
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 22)
    for i, (k, v, f) in enumerate([
            ("Projects", n, None), ("Total budget (USD)", total / 100, cash),
            ("Average budget (USD)", (total // n if n else 0) / 100, cash),
            ("Median budget (USD)",
             (int(good["cents"].median()) if n else 0) / 100, cash),
            ("Years covered", "%d-%d" % (good["Year"].min(),
                                         good["Year"].max()) if n else "-",
             None)]):
        ws.write_string(i, 0, k, bold)
        ws.write(i, 1, v, f)

    ws = wb.add_worksheet("Projects")
    for c, h in enumerate(COLS):
        ws.write_string(0, c, h, bold)
    widths = [12, 60, 12, 12, 12, 30, 16, 12, 6, 28, 40, 80, 12]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w, cash if COLS[c].startswith("Budget") else None)
    full = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    for r, rec in enumerate(good.to_dict("records"), start=1):
        for c, col in enumerate(COLS):
            v = rec[col]
            if col == "Projects ID":
                ws.write_url(r, c, "briefs/%s.pdf" % names[v], link,
                             string=v)
            elif col == "Budget Amount (USD)":
                ws.write_number(r, c, rec["cents"] / 100, cash)
            elif col == "Year":
                ws.write_number(r, c, v)
            elif col in ("Start Date", "End Date") and full.match(v):
                ws.write_datetime(r, c, datetime.datetime.strptime(
                    v, "%Y-%m-%d"), date)
            else:
                ws.write_string(r, c, v)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, n, len(COLS) - 1)

    for col, sheet in [("IDF Region", "By Region"),
                       ("Project Type", "By Type"), ("Year", "By Year")]:
        g = groups[col]
        ws = wb.add_worksheet(sheet)
        ws.set_column(0, 0, 40)
        ws.set_column(1, 3, 16)
        for c, h in enumerate([col, "Projects", "Budget (USD)", "Share"]):
            ws.write_string(0, c, h, bold)
        for r, (name, row) in enumerate(g.iterrows(), start=1):
            if col == "Year":
                ws.write_number(r, 0, int(name))
            else:
                ws.write_string(r, 0, str(name))
            ws.write_number(r, 1, int(row["size"]))
            ws.write_number(r, 2, int(row["sum"]) / 100, cash)
            ws.write_number(r, 3, row["sum"] / total if total else 0, pct)
        last = len(g) + 1
        ws.write_string(last, 0, "Total", bold)
        ws.write_formula(last, 1, "=SUM(B2:B%d)" % last, bold, n)
        ws.write_formula(last, 2, "=SUM(C2:C%d)" % last, cash_b, total / 100)
        ws.write_formula(last, 3, "=SUM(D2:D%d)" % last, pct, 1 if total else 0)
        chart = wb.add_chart({"type": "bar" if col != "Year" else "column"})
        chart.add_series({"name": "Budget (USD)",
                          "categories": [sheet, 1, 0, last - 1, 0],
                          "values": [sheet, 1, 2, last - 1, 2]})
        chart.set_title({"name": "Budget by " + col})
        chart.set_legend({"none": True})
        ws.insert_chart(1, 5, chart)

    x = good.pivot_table(index="IDF Region", columns="Year", values="cents",
                         aggfunc="sum", fill_value=0)
    ws = wb.add_worksheet("Region x Year")
    ws.set_column(0, 0, 34)
    ws.write_string(0, 0, "IDF Region", bold)
    for c, y in enumerate(x.columns, start=1):
        ws.write_number(0, c, int(y), bold)
    tc = len(x.columns) + 1
    ws.write_string(0, tc, "Total", bold)
    for r, (region, row) in enumerate(x.iterrows(), start=1):
        ws.write_string(r, 0, str(region))
        for c, v in enumerate(row, start=1):
            ws.write_number(r, c, int(v) / 100, cash)
        ws.write_formula(r, tc, "=SUM(%s)" % xlsxwriter.utility
                         .xl_range(r, 1, r, tc - 1), cash_b,
                         int(row.sum()) / 100)
    tr = len(x) + 1
    ws.write_string(tr, 0, "Total", bold)
    for c in range(1, tc + 1):
        v = int(x.iloc[:, c - 1].sum()) if c < tc else total
        ws.write_formula(tr, c, "=SUM(%s)" % xlsxwriter.utility.xl_range(
            1, c, tr - 1, c), cash_b, v / 100)
    wb.close()


# ---------------------------------------------------------------- main

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input")
    ap.add_argument("outdir")
    ap.add_argument("--year", type=int, action="append", default=[])
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--fonts", default=os.path.join(here, "..", "..",
                                                    "fonts"))
    args = ap.parse_args()

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        from reportlab import rl_config
        rl_config.invariant = 1
        created = datetime.datetime.utcfromtimestamp(int(epoch))
    else:
        created = datetime.datetime.now()
    setup_fonts(args.fonts)
    label = "all" if not args.year else "-".join(
        str(y) for y in sorted({min(args.year), max(args.year)}))
    out = os.path.join(args.outdir, label)
    os.makedirs(os.path.join(out, "briefs"), exist_ok=True)

    df, good, bad = load(args.input, args.year)
    bad[COLS + ["line", "reason"]].to_csv(os.path.join(out, "rejected.csv"),
                                          index=False)
    used, names = set(), {}
    for pid in good["Projects ID"]:
        names[pid] = safe_name(pid, used)
    keep = COLS + ["cents"]
    jobs = [(rec, os.path.join(out, "briefs", names[rec["Projects ID"]] +
                               ".pdf"))
            for rec in good[keep].to_dict("records")]
    if args.jobs > 1:
        with multiprocessing.Pool(args.jobs, initializer=setup_fonts,
                                  initargs=(args.fonts,)) as pool:
            for _ in pool.imap_unordered(render_brief, jobs, chunksize=16):
                pass
    else:
        for job in jobs:
            render_brief(job)

    groups = render_summary(good, os.path.join(out, "summary.pdf"), label)
    render_workbook(good, groups, os.path.join(out, "rollup.xlsx"), label,
                    names, created)

    files = sorted([os.path.join("briefs", names[p] + ".pdf")
                    for p in good["Projects ID"]] +
                   ["summary.pdf", "rollup.xlsx", "rejected.csv"])
    manifest = {
        "tool": VERSION, "input": {"path": args.input,
                                   "sha256": sha256(args.input)},
        "counts": {"records": len(df), "accepted": len(df) - len(bad),
                   "rejected": len(bad), "selected": len(good)},
        "total_budget": {"cents": int(good["cents"].sum())},
        "files": [{"path": f, "bytes": os.path.getsize(os.path.join(out, f)),
                   "sha256": sha256(os.path.join(out, f))} for f in files]}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    return 65 if len(bad) else 0


if __name__ == "__main__":
    sys.exit(main())
