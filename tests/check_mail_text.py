"""The text of every message in a folder of .eml files reads well:

    check_mail_text.py DIR RECORDS ACCEPTED REJECTED [SOURCE]

quoted-printable UTF-8 (not base64); it names the source file (SOURCE,
default projects.csv) and the counts of records read, accepted and
rejected; when records were rejected, the line under the projects' figures
says so, as the summary's cover does (and nothing does when none were); it
lists the briefs in the order of their IDs, as attached; no internal words
("run", "label").
"""
import email
import email.policy
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iomcheck import rejected_words  # noqa: E402


def main():
    folder, records, accepted, rejected = sys.argv[1], *sys.argv[2:5]
    source = sys.argv[5] if len(sys.argv) > 5 else "projects.csv"
    words = rejected_words(int(records), int(accepted), int(rejected))
    bad = []
    files = sorted(glob.glob(os.path.join(folder, "*.eml")))
    if not files:
        bad.append("no message in " + folder)
    for f in files:
        with open(f, "rb") as fh:
            m = email.message_from_bytes(fh.read(), policy=email.policy.default)
        body = m.get_body(("plain",))
        name = os.path.basename(f)
        if body["Content-Transfer-Encoding"] != "quoted-printable":
            bad.append("%s: text is %s" % (name, body["Content-Transfer-Encoding"]))
        text = body.get_content()
        want = "%s records read, %s accepted, %s rejected" % (records, accepted, rejected)
        if want not in text or source not in text:
            bad.append("%s: no source line with %r" % (name, want))
        beside = re.search(r"^Projects: .*\r?\n(.*?)\r?\n", text, re.M)
        if words and not (beside and beside.group(1) == "  (%s)" % words):
            bad.append("%s: no %r under the projects' figures" % (name, words))
        if not words and "records accepted;" in text:
            bad.append("%s: rejects said where none were" % name)
        for word in ("run", "label"):
            if re.search(r"\b%s\b" % word, text, re.I):
                bad.append("%s: the internal word %r in the text" % (name, word))
        listed = re.findall(r"^  (\S+\.pdf)  brief:", text, re.M)
        attached = [p.get_filename() for p in m.iter_attachments()
                    if p.get_filename() not in ("summary.pdf", "rollup.xlsx")]
        if listed != sorted(listed) or attached != listed:
            bad.append("%s: briefs listed %s, attached %s" % (name, listed, attached))
    for b in bad:
        print(b)
    print("%d messages checked" % len(files))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
