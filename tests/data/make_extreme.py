"""Write the extreme records of tests/e2e_extreme.sh to the path given.

usage: make_extreme.py OUT

T81-805 has a Title of 61,885 'W' (one word: wrapped between characters,
about 2,700 lines of the summary's project list) and LONG-TEXT one of
103,141 characters of ordinary words that ends with the word OMEGAEND:
each makes a row of the project list longer than many pages, whose link
in book.pdf libharu refused (a rectangle below -32767).  OVER-2400 has a
Title of 2,400 characters ending with OVEREND, a little more than a page
of the list holds (from about 2,100 characters such a row ran over the
footer); MID-2000 one of 2,000 ending with MIDEND, which a page holds
whole; OK-1 to OK-3 are plain records, the last rows of the list.  No
text but the first title holds a 'W'.
"""
import sys

WORDS = ("migration policy seminar for the caribbean region capacity "
         "building border officials return and reintegration").split()


def words(n, last):
    """Ordinary words, exactly n characters, ending with the word last."""
    out, i = [], 0
    while sum(len(w) + 1 for w in out) < n:
        out.append(WORDS[i % len(WORDS)])
        i += 1
    text = " ".join(out)[:n - len(last) - 1].rstrip()
    text += " " * (n - len(last) - len(text)) + last
    return text


TITLES = [
    ("T81-805", "W" * 61885, "37450.00"),
    ("LONG-TEXT", words(103141, "OMEGAEND"), "20000.00"),
    ("OVER-2400", words(2400, "OVEREND"), "17000.00"),
    ("MID-2000", words(2000, "MIDEND"), "15000.00"),
    ("OK-1", "Plain title", "3000.00"),
    ("OK-2", "Plain title", "2000.00"),
    ("OK-3", "Plain title", "1000.00"),
]

assert [len(t[1]) for t in TITLES[1:4]] == [103141, 2400, 2000]

with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    f.write("Projects ID,Title,Budget Amount (USD),Year,IDF Region\n")
    for pid, title, budget in TITLES:
        f.write('%s,"%s",%s,2001,Africa\n' % (pid, title, budget))
