"""What the checkers share: the input CSV read on its own, the figures of
README's Outputs computed from it, and the failure report.

Everything here is computed with Python's csv module and plain integer
arithmetic from the text of the input, never with iomreport's code or its
outputs: the checkers compare what iomreport wrote with these figures, so
a mistake made in both places would go unseen.

The checkers are run as `/usr/bin/python3 tests/check_x.py ...` and put
their own folder on sys.path to import this module.
"""

import csv
import hashlib
import os
import re
import sys
from decimal import Decimal

UNSPECIFIED = "Unspecified"
COLUMNS = ["Projects ID", "Title", "Start Date", "End Date",
           "Project Status", "Project Type", "Budget Amount (USD)",
           "Coverage", "Year", "IDF Region", "Benefiting Member States",
           "Description", "Prima ID"]

PROG = os.path.splitext(os.path.basename(sys.argv[0]))[0]
failures = []
checks = 0


def fail(msg):
    failures.append(msg)
    print("%s: FAIL: %s" % (PROG, msg))


def expect(cond, msg):
    """Count a check; report 'msg' when 'cond' is false.  Returns cond."""
    global checks
    checks += 1
    if not cond:
        fail(msg)
    return cond


def status():
    """The checker's exit status."""
    return 1 if failures else 0


def trim(s):
    return s.strip(" \t\r\n")


def cents_of(text, decimal_comma=False):
    """Budget text ("37,450.00", "59,625", "USD 37,450.00"; with a decimal
    comma "37.450,00", "59.625", or "37450.00" whose lone '.' before one or
    two last digits is a decimal point) to integer cents."""
    t = re.sub(r"^(\$|USD)[ \t]*", "", trim(text))
    if decimal_comma and not re.fullmatch(r"[^.,]*\.\d{1,2}", t):
        t = t.replace(".", "").replace(",", ".")
    t = t.replace(",", "")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", t):
        raise ValueError("budget %r" % text)
    return int(Decimal(t) * 100)


def money(cents):
    """37,450.00"""
    return "{:,}.{:02d}".format(cents // 100, cents % 100)


def read_rows(path, encoding="utf-8-sig"):
    """Every record of a CSV file the run wrote, as lists of fields, past
    a byte-order mark; bytes that are not UTF-8 (rejected records are
    copied as they came) read as U+FFFD."""
    with open(path, encoding=encoding, errors="replace", newline="") as f:
        return list(csv.reader(f))


def rejected_lines(path):
    """The start lines that rejected.csv lists, each with its reason (none
    when path is None)."""
    if path is None:
        return {}
    with open(path, "rb") as f:
        expect(f.read(3) == b"\xef\xbb\xbf",
               "%s: no UTF-8 byte-order mark (Excel needs it)" % path)
    rows = read_rows(path)
    expect(rows and rows[0][:1] == ["Line"],
           "%s: the first column is not Line" % path)
    return {int(r[0]): r[2] if len(r) > 2 else "" for r in rows[1:] if r}


def sniff_delimiter(first_line):
    """The field separator of a file whose header line is 'first_line':
    ';' or tab when cutting at it names Projects ID, else ','."""
    for d in (",", ";", "\t"):
        if "projects id" in [trim(h).strip('"').lower()
                             for h in first_line.split(d)]:
            return d
    return ","


def read_input(path, rejected, decimal_comma=None):
    """The records of the input CSV that are not rejected, in file order.

    Fields are separated by ',', or by ';' or tab when the header line
    says so; budgets have a decimal comma when 'decimal_comma' is True, or
    when it is None and the fields are separated by ';'.

    A record is left out when the physical line it starts on is in
    'rejected' (a dict of reasons by line, as rejected_lines() gives); one
    rejected for an unbalanced quote is its first line alone.  Every other record must be whole and valid UTF-8, since
    iomreport accepted it.  Each is a dict: "line", the raw text of every
    column of COLUMNS under its name (trimmed, "" when the file lacks the
    column), and the typed values "id", "title", "start", "end" (text),
    "status", "type" and "region" (UNSPECIFIED when empty), "cents",
    "coverage", "year" (Start Date's when Year is empty), "states" (a list),
    "description" (CRLF as LF) and "prima".
    """
    recs = []
    with open(path, encoding="utf-8-sig", errors="surrogateescape",
              newline="") as f:
        lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", f.read())
    delim = sniff_delimiter(lines[0] if lines else "")
    if decimal_comma is None:
        decimal_comma = delim == ";"
    header, i = None, 0
    while i < len(lines):
        # One record from line i on, read on its own: a rejected record
        # that spans lines gives back all but its first line.
        reader = csv.reader((lines[k] for k in range(i, len(lines))),
                            delimiter=delim)
        row = next(reader, [])
        start, used = i + 1, max(reader.line_num, 1)
        if start in rejected and header is not None:
            # A record broken by an unbalanced quote is its first line
            # alone: reading resumes on the next line.
            broken = rejected[start].startswith("unbalanced quote")
            i += 1 if broken else used
            continue
        i += used
        if all(trim(field) == "" for field in row):
            continue        # blank lines and rows of empty fields
        if header is None:
            header = [trim(h).lower() for h in row]
            continue
        expect(len(row) == len(header), "input line %d: accepted with "
               "%d fields under %d names" % (start, len(row), len(header)))
        recs.append(typed(raw_fields(header, row, start), start,
                          decimal_comma))
    return recs


def raw_fields(header, row, line):
    v = {}
    for name in COLUMNS:
        i = header.index(name.lower()) if name.lower() in header else None
        v[name] = trim(row[i]) if i is not None and i < len(row) else ""
        try:
            v[name].encode("utf-8")
        except UnicodeEncodeError:
            fail("input line %d: %s is not UTF-8 but was accepted"
                 % (line, name))
            v[name] = v[name].encode("utf-8", "surrogateescape").decode(
                "utf-8", "replace")
    return v


def distinct_states(text):
    """The member states of a list, each once under its first spelling:
    two are one when they differ only in ASCII case or runs of blanks."""
    seen, states = set(), []
    for s in re.split(r"[;|]", text):
        s = trim(s)
        key = re.sub(r"[ \t]+", " ", s).encode("utf-8").lower()
        if s and key not in seen:
            seen.add(key)
            states.append(s)
    return states


def typed(v, line, decimal_comma=False):
    year = v["Year"] or v["Start Date"][:4]
    rec = dict(v)
    rec.update({
        "line": line,
        "id": v["Projects ID"],
        "title": v["Title"],
        "start": v["Start Date"],
        "end": v["End Date"],
        "status": v["Project Status"],
        "type": v["Project Type"] or UNSPECIFIED,
        "cents": cents_of(v["Budget Amount (USD)"], decimal_comma),
        "coverage": v["Coverage"],
        "year": int(year),
        "region": v["IDF Region"] or UNSPECIFIED,
        "states": distinct_states(v["Benefiting Member States"]),
        "description": v["Description"].replace("\r\n", "\n"),
        "prima": v["Prima ID"],
    })
    return rec


def selected(recs, year_arg):
    """The records of --year FIRST[-LAST] (all when year_arg is empty)."""
    if not year_arg:
        return recs
    first, _, last = year_arg.partition("-")
    lo, hi = int(first), int(last or first)
    return [r for r in recs if lo <= r["year"] <= hi]


def add_input_arguments(ap):
    """CSV [--year FIRST[-LAST]] [--rejected REJECTED_CSV]
    [--decimal-comma] on argparse 'ap'."""
    ap.add_argument("csv")
    ap.add_argument("--year")
    ap.add_argument("--rejected")
    ap.add_argument("--decimal-comma", action="store_const", const=True,
                    default=None)


def input_records(args):
    """The records of the run those arguments describe."""
    return selected(read_input(args.csv, rejected_lines(args.rejected),
                               args.decimal_comma), args.year)


def group_key(name):
    """Names in byte order, Unspecified last."""
    return (name == UNSPECIFIED, name.encode("utf-8"))


def shares(values):
    """Each share in tenths of a percent on its own, halves up."""
    total = sum(values)
    if total == 0:
        return [0] * len(values)
    return [(2000 * v + total) // (2 * total) for v in values]


def groups(recs, key):
    """[(name, count, cents, tenths)] by "region", "type" or "year", in the
    reports' order: years ascending, names in byte order with Unspecified
    last."""
    acc = {}
    for r in recs:
        c, s = acc.get(r[key], (0, 0))
        acc[r[key]] = (c + 1, s + r["cents"])
    names = sorted(acc) if key == "year" else sorted(acc, key=group_key)
    tenths = shares([acc[n][1] for n in names])
    return [(n, acc[n][0], acc[n][1], t) for n, t in zip(names, tenths)]


def half_up(num, den):
    return (2 * num + den) // (2 * den)


def figures(recs):
    """The cover figures: count, total, average and median budget (cents,
    halves rounded up), distinct member states, and the (first, last) year
    or None."""
    n = len(recs)
    budgets = sorted(r["cents"] for r in recs)
    total = sum(budgets)
    if n == 0:
        avg = med = 0
    else:
        avg = half_up(total, n)
        med = budgets[n // 2] if n % 2 else \
            half_up(budgets[n // 2 - 1] + budgets[n // 2], 2)
    years = sorted({r["year"] for r in recs})
    return {
        "count": n,
        "total": total,
        "average": avg,
        "median": med,
        "states": len({s for r in recs for s in r["states"]}),
        "years": (years[0], years[-1]) if years else None,
    }


def check_run_files(run, manifest):
    """Every file the manifest lists is in the run folder with the listed
    size and SHA-256, and nothing else is (but manifest.json and the
    publication's marker, .iomreport-run)."""
    listed = set()
    for e in manifest["files"]:
        listed.add(e["path"])
        try:
            with open(os.path.join(run, e["path"]), "rb") as f:
                data = f.read()
        except OSError as err:
            fail("%s: %s" % (e["path"], err))
            continue
        expect(len(data) == e["bytes"] and
               hashlib.sha256(data).hexdigest() == e["sha256"],
               "%s differs from the manifest" % e["path"])
    expect("manifest.json" not in listed, "the manifest lists itself")
    for d, _, files in os.walk(run):
        for name in files:
            rel = os.path.relpath(os.path.join(d, name), run)
            expect(rel in ("manifest.json", ".iomreport-run") or
                   rel in listed,
                   "%s is not in the manifest" % rel)


def record_counts(args):
    """(read, accepted, rejected) of the input: the records of the CSV
    and the lines of rejected.csv, worked out here."""
    rejected = len(rejected_lines(args.rejected))
    accepted = len(read_input(args.csv, rejected_lines(args.rejected),
                              getattr(args, "decimal_comma", None)))
    return accepted + rejected, accepted, rejected


def rejected_words(read, accepted, rejected):
    """What the summary's cover and the mail say beside their figures when
    records were rejected; None when none were."""
    if not rejected:
        return None
    return ("%d of %d records accepted; %d rejected, listed in rejected.csv"
            % (accepted, read, rejected))


NOTE_NAMES = ["Input file", "Input SHA-256", "Records", "Generated",
              "Selection", "Year", "Budget", "Numbers", "Share",
              "Unspecified"]


def check_notes(where, notes, args, n_selected):
    """The "Data and definitions" items [(name, text)] of a summary or a
    workbook: every name in order, the input's name (never its folders)
    and SHA-256 prefix,
    the record counts (worked out here from the CSV and rejected.csv) with
    the pointer to rejected.csv, the generation time (SOURCE_DATE_EPOCH),
    the number of projects selected, and the definitions."""
    import datetime
    names = [n for n, _ in notes]
    expect(names == NOTE_NAMES, "%s: data and definitions %r" % (where, names))
    got = dict(notes)
    with open(args.csv, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    read, accepted, rejected = record_counts(args)
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    when = datetime.datetime.utcfromtimestamp(epoch).strftime(
        "%Y-%m-%d %H:%M:%S UTC")
    want = {
        "Input file": lambda t: t == os.path.basename(args.csv),
        "Input SHA-256": lambda t: t.startswith(sha[:16] + "..."),
        "Records": lambda t: t.startswith(
            "%d read, %d accepted, %d rejected; rejected.csv"
            % (read, accepted, rejected)),
        "Generated": lambda t: t.startswith(when),
        "Selection": lambda t: t.endswith(
            " (%d project%s)" % (n_selected, "" if n_selected == 1 else "s")),
        "Year": lambda t: "Start Date" in t,
        "Budget": lambda t: "cents" in t,
        "Numbers": lambda t: t.startswith("Budgets read with a decimal "),
        "Share": lambda t: "rounded on its own" in t and "100.0 %" in t,
        "Unspecified": lambda t: "empty" in t,
    }
    for name, ok in want.items():
        expect(name in got and ok(got[name]), "%s: %s says %r"
               % (where, name, got.get(name)))
