"""The text of every message in a folder of .eml files reads well:

    check_mail_text.py DIR RECORDS ACCEPTED REJECTED

quoted-printable UTF-8 (not base64); it names the source file and the
counts of records read, accepted and rejected; it lists the briefs in the
order of their IDs, as attached; no internal words ("run", "label").
"""
import email
import email.policy
import glob
import os
import re
import sys


def main():
    folder, records, accepted, rejected = sys.argv[1], *sys.argv[2:5]
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
        if want not in text or "projects.csv" not in text:
            bad.append("%s: no source line with %r" % (name, want))
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
