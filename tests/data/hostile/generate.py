"""Writes the small files of the hostile corpus (run from this folder).

usage: /usr/bin/python3 generate.py

The files are committed; this script says byte for byte what each one
holds.  Large cases (a 100 MiB field, 100,000 columns, a million empty
lines, a FIFO, ...) are made at test time by tests/e2e_hostile.sh.

Each bad record sits between valid ones whose IDs start with "OK-": the
test checks that every OK- record is accepted and gets its brief.
"""
import random

HEADER = ("Projects ID,Title,Start Date,End Date,Project Status,Project Type,"
          "Budget Amount (USD),Coverage,Year,IDF Region,"
          "Benefiting Member States,Description,Prima ID\n").encode()


def row(pid, title="A project", start="2001", end="2001", budget="1000.00",
        year="2001", states="Belize; Haiti", description="Text.", prima=""):
    def q(v):
        v = v if isinstance(v, bytes) else v.encode()
        if any(c in v for c in b',"\r\n'):
            v = b'"' + v.replace(b'"', b'""') + b'"'
        return v
    return b",".join(q(v) for v in (
        pid, title, start, end, "Completed", "Labour Migration", budget,
        "Regional", year, "Africa", states, description, prima)) + b"\n"


# Valid records of a UTF-8 file: their names have characters of more
# than one byte, so that a stray byte is the file's fault in one record,
# not a sign of a file saved in a code page (which is read as such).
UTF8_STATES = "C\u00f4te d\u2019Ivoire; S\u00e3o Tom\u00e9 and Pr\u00edncipe"


def sandwich(name, bad):
    """'bad' (raw bytes of one or more lines) between two valid records."""
    write(name, HEADER + row("OK-1", states=UTF8_STATES) + bad +
          row("OK-2", states=UTF8_STATES))


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


def main():
    write("empty.csv", b"")
    write("bom_only.csv", b"\xef\xbb\xbf")
    write("header_only.csv", HEADER)
    write("blank_lines_only.csv", b"\n\r\n\n  \n")
    rnd = random.Random(8)
    write("binary_garbage.bin", bytes(rnd.randrange(256) for _ in range(8192)))
    write("header_not_utf8.csv", HEADER.replace(b"Coverage", b"Cov\xe9rage")
          + row("OK-1", states=UTF8_STATES))
    write("header_doubled_column.csv",
          HEADER.replace(b"Coverage", b"Title") + row("OK-1"))
    sandwich("nul_in_field.csv", row("BAD-1", title=b"Nul\x00Title"))
    sandwich("nul_unquoted_id.csv", b"BAD\x00-1" + row(""))
    sandwich("utf8_overlong.csv", row("BAD-1", title=b"slash \xc0\xaf and \xe0\x80\xaf"))
    sandwich("utf8_lone_continuation.csv", row("BAD-1", title=b"lone \x80\xbf byte"))
    sandwich("utf8_surrogate.csv", row("BAD-1", title=b"surrogate \xed\xa0\x80"))
    sandwich("utf8_truncated.csv", row("BAD-1", description=b"cut \xe2\x82"))
    sandwich("utf8_above_max.csv", row("BAD-1", title=b"big \xf4\x90\x80\x80"))
    sandwich("utf8_latin1_id.csv", row(b"BAD-C\xf4te"))
    write("unterminated_quote.csv", HEADER + row("OK-1") + row("OK-2")
          + b'BAD-3,"Open quote never closed,2001,2001\nmore text\n')
    sandwich("stray_quote.csv", b'BAD-1,ab"c,,,,,1000,,2001,,,,\n')
    sandwich("too_many_fields.csv", b"BAD-1" + b",x" * 2000 + b"\n")
    sandwich("too_few_fields.csv", b"BAD-1,Title,2001\n")
    for name, value in [("1e308", "1e308"), ("minus_zero", "-0"),
                        ("hex", "0x10"), ("three_decimals", "12.345"),
                        ("nan", "NaN"), ("huge", "99999999999999999999"),
                        ("bad_groups", "1,2,3"), ("inf", "inf"),
                        ("over_max", "1000000000000.01"),
                        ("spaces_inside", "1 000")]:
        sandwich("budget_%s.csv" % name, row("BAD-1", budget=value))
    for name, value in [("0", "0"), ("huge", "99999999999999999999"),
                        ("fraction", "2001.5"), ("negative", "-2001"),
                        ("int_overflow", "4294969297")]:
        sandwich("year_%s.csv" % name, row("BAD-1", year=value))
    # Dates describe a project: one that cannot be read is kept as given.
    sandwich("date_feb30.csv", row("OK-3", start="2001-02-30"))
    sandwich("date_month13.csv", row("OK-3", start="2001-13-01"))
    sandwich("date_end_before_start.csv",
             row("OK-3", start="2003-05-01", end="2003-04-30", year="2003"))
    sandwich("date_huge_year.csv", row("OK-3", start="99999999999999999999-01"))
    write("scripts_rtl_combining_emoji.csv", HEADER + row("OK-1") + row(
        "OK-RTL", title="\u0645\u0634\u0631\u0648\u0639 \u05e2\u05d1\u05e8\u05d9\u05ea \u200f\u202eRLO",
        states="\u0627\u0644\u0623\u0631\u062f\u0646; \u05d9\u05e9\u05e8\u05d0\u05dc",
        description="Combining: e\u0301 a\u0308\u0308 Z\u0351\u0352\u0353\u0354\n"
                    "Emoji: \U0001F600 \U0001F30D \U0001F3F3\uFE0F\u200D\U0001F308\n"
                    "CJK: \u4e2d\u6587\u5b57") + row("OK-2"))
    write("formula_text.csv", HEADER + row("OK-1") + row(
        "OK-FORMULA", title='=HYPERLINK("http://example.com","click")',
        states="+cmd; @SUM(A1:A9); -2+3",
        description="=cmd|' /C calc'!A0\n@SUM(1,2)\n+cmd") + row(
        "OK-PLUS", title="+cmd") + row("OK-AT", title="@SUM(A1)") + row("OK-2"))
    write("hostile_ids.csv", HEADER + row("OK-1") + b"".join(
        row(pid, title="Hostile ID") for pid in (
            "../../etc/passwd", "/tmp/x", ".hidden", "a/b", "a_b", "A_B",
            "-rf", "..", "\u00e9t\u00e9/\u2215x",
            "L" * 300)) + row("OK-2"))


main()
