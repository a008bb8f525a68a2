"""Write the long-text input of tests/e2e_reach.sh to the path given.

LT-TITLE has a 99,999-character Title (10,000 words), LT-UNBROKEN a
200,000-character Description without a space, LT-COMBINING an 'e'
followed by 100,000 combining acute accents (U+0301), LT-OK a plain
record: each is longer than the 65,535 bytes libharu takes in one string.
"""
import sys

TITLE = " ".join("Word%05d" % i for i in range(10000))
UNBROKEN = "".join("abcdefghij"[i % 10] for i in range(200000))
COMBINING = "e" + "\u0301" * 100000

with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    f.write("Projects ID,Title,Budget Amount (USD),Year,Description\n")
    f.write("LT-TITLE,%s,1000,2001,Short.\n" % TITLE)
    f.write("LT-UNBROKEN,Unbroken description,1000,2001,%s\n" % UNBROKEN)
    f.write("LT-COMBINING,Combining marks,1000,2001,%s\n" % COMBINING)
    f.write("LT-OK,Plain,1000,2001,Fine.\n")
