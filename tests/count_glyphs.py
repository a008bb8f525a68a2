"""Count the glyphs a PDF's pages show: count_glyphs.py FILE.pdf

The file must be uncompressed (qpdf --qdf --object-streams=disable).
A document's fonts are either two-byte (CID, Type0) or single-byte (a
code page); the strings of Tj operators are hex (4 or 2 digits a glyph)
or literal (a byte a glyph).  pdftotext cannot tell glyphs stacked on one
spot (combining marks), so the tests count them here.
"""
import re
import sys


def main():
    data = open(sys.argv[1], "rb").read()
    digits = 4 if re.search(rb"/Subtype\s*/Type0", data) else 2
    n = 0
    for m in re.finditer(rb"<([0-9A-Fa-f]*)> Tj", data):
        n += len(m.group(1)) // digits
    for m in re.finditer(rb"\(((?:\\.|[^\\)])*)\) Tj", data, re.S):
        s = re.sub(rb"\\[0-7]{1,3}", b"x", m.group(1))
        n += len(re.sub(rb"\\(.)", rb"\1", s, flags=re.S))
    print(n)


if __name__ == "__main__":
    main()
