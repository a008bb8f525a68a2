"""Write the extreme records of tests/e2e_extreme.sh to the path given.

usage: make_extreme.py titles|fields OUT

titles: T81-805 has a Title of 61,885 'W' (one word: wrapped between
characters, about 2,700 lines of the summary's project list) and LONG-TEXT
one of 103,141 characters of ordinary words that ends with the word
OMEGAEND: each makes a row of the project list longer than many pages,
whose link in book.pdf libharu refused (a rectangle below -32767).
OVER-2400 has a Title of 2,400 characters ending with OVEREND, a little
more than a page of the list holds (from about 2,100 characters such a row
ran over the footer); MID-2000 one of 2,000 ending with MIDEND, which a
page holds whole; OK-1 to OK-3 are plain records, the last rows of the
list.  No text but the first title holds a 'W'.

fields: one record for each other field a brief shows, that field 61,885
'W' (no other text holds a 'W'): Project Status, Project Type, Coverage,
IDF Region, Prima ID, the Projects ID itself, one member state of a single
one, and one member state of five (a list drawn in columns); and OK-1.
Each made a fact of the brief run off its page, and the five states made
the brief add pages without end.
"""
import sys

WORDS = ("migration policy seminar for the caribbean region capacity "
         "building border officials return and reintegration").split()
W = "W" * 61885
COLUMNS = ["Projects ID", "Title", "Budget Amount (USD)", "Year",
           "Project Status", "Project Type", "Coverage", "IDF Region",
           "Prima ID", "Benefiting Member States"]


def words(n, last):
    """Ordinary words, exactly n characters, ending with the word last."""
    out, i = [], 0
    while sum(len(w) + 1 for w in out) < n:
        out.append(WORDS[i % len(WORDS)])
        i += 1
    text = " ".join(out)[:n - len(last) - 1].rstrip()
    text += " " * (n - len(last) - len(text)) + last
    return text


def titles():
    rows = [
        ("T81-805", "W" * 61885, "37450.00"),
        ("LONG-TEXT", words(103141, "OMEGAEND"), "20000.00"),
        ("OVER-2400", words(2400, "OVEREND"), "17000.00"),
        ("MID-2000", words(2000, "MIDEND"), "15000.00"),
        ("OK-1", "Plain title", "3000.00"),
        ("OK-2", "Plain title", "2000.00"),
        ("OK-3", "Plain title", "1000.00"),
    ]
    assert [len(r[1]) for r in rows[1:4]] == [103141, 2400, 2000]
    return [{"Projects ID": i, "Title": t, "Budget Amount (USD)": b}
            for i, t, b in rows]


def fields():
    rows = [{"Projects ID": pid, name: W}
            for pid, name in (("F-STATUS", "Project Status"),
                              ("F-TYPE", "Project Type"),
                              ("F-COVERAGE", "Coverage"),
                              ("F-REGION", "IDF Region"),
                              ("F-PRIMA", "Prima ID"))]
    rows.append({"Projects ID": W})
    rows.append({"Projects ID": "F-STATE", "Benefiting Member States": W})
    rows.append({"Projects ID": "F-STATES", "Benefiting Member States":
                 "Ghana; Haiti; Belize; Jamaica; " + W})
    rows.append({"Projects ID": "OK-1"})
    return rows


def main():
    kind, out = sys.argv[1], sys.argv[2]
    rows = titles() if kind == "titles" else fields()
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(COLUMNS) + "\n")
        for r in rows:
            r = dict({"Title": "Plain title", "Budget Amount (USD)": "1000.00",
                      "Year": "2001", "IDF Region": "Africa"}, **r)
            f.write(",".join('"%s"' % r.get(c, "") for c in COLUMNS) + "\n")


if __name__ == "__main__":
    main()
