"""Checks of tests/e2e_deliver.sh on the messages a delivery left: those
tests/smtp_rogue.py saved (NNNNNN.eml, .rcpt, .from) or an outbox's.
Messages are read with Python's email package (policy=default).

    check_deliver.py once PEOPLE DIR... [--strict] [--absent A,B]
        every stakeholder of PEOPLE (less --absent) received a message, and
        only one distinct Message-ID (a message repeated after a crash
        between acceptance and the log line keeps its Message-ID); with
        --strict, exactly one copy.  No message to anybody else; the
        envelope recipient is the To address.
    check_deliver.py to DIR ADDR...
        the messages of DIR are exactly one for each ADDR (the To address)
    check_deliver.py sender DIR PATH NAME ADDR
        every .from is PATH; every From header is NAME <ADDR>
    check_deliver.py lines DIR NAME
        no line of a message over 998 bytes (prints the longest header
        line); the To display name is NAME (white space normalised)
    check_deliver.py outbox DIR ADDR...
        one .eml file for each ADDR, its To the address, regular files
    check_deliver.py log FILE N [--unsure A,B]
        a delivery log of N JSON lines, each with "to" and "message_id";
        those with "fate": "unknown" are the ones to --unsure (none
        without it)
    check_deliver.py date DIR T0 T1
        every message of DIR is dated between the UTC seconds T0 and T1
"""
import csv
import email
import email.policy
import email.utils
import glob
import json
import os
import sys


def messages(d):
    for f in sorted(glob.glob(os.path.join(d, "*.eml"))):
        raw = open(f, "rb").read()
        yield f, raw, email.message_from_bytes(raw,
                                               policy=email.policy.default)


def to_addr(m):
    return m["To"].addresses[0].addr_spec.lower()


def people(path):
    return [r["Email"].strip().lower() for r in
            csv.DictReader(open(path, encoding="utf-8-sig"))]


def norm(s):
    return " ".join(s.split())


def once(args):
    strict = "--strict" in args
    args = [a for a in args if a != "--strict"]
    absent = set()
    if "--absent" in args:
        i = args.index("--absent")
        absent = {x.strip().lower() for x in args[i + 1].split(",")}
        del args[i:i + 2]
    want = [p for p in people(args[0]) if p not in absent]
    errors = []
    ids = {}
    copies = {}
    for d in args[1:]:
        for f, raw, m in messages(d):
            to = to_addr(m)
            rcpt = f[:-4] + ".rcpt"
            if os.path.exists(rcpt):
                r = [x.lower() for x in open(rcpt).read().split()]
                if r != [to]:
                    errors.append("%s: envelope %s, To %s" % (f, r, to))
            mid = m["Message-ID"]
            if not mid:
                errors.append("%s: no Message-ID" % f)
            ids.setdefault(to, set()).add(str(mid).strip())
            copies.setdefault(to, []).append(f)
    for to in sorted(ids):
        if to not in want:
            errors.append("%s received %d message(s), expected none" %
                          (to, len(copies[to])))
        elif len(ids[to]) != 1:
            errors.append("%s received %d distinct Message-IDs: %s" %
                          (to, len(ids[to]), sorted(ids[to])))
        elif strict and len(copies[to]) != 1:
            errors.append("%s received %d copies: %s" %
                          (to, len(copies[to]), copies[to]))
    for to in want:
        if to not in ids:
            errors.append("%s received nothing" % to)
    print("%d recipients, %d messages" %
          (len(ids), sum(len(v) for v in copies.values())))
    return errors


def to(args):
    errors = []
    got = sorted(to_addr(m) for _, _, m in messages(args[0]))
    want = sorted(a.lower() for a in args[1:])
    if got != want:
        errors.append("received by %s, expected %s" % (got, want))
    return errors


def sender(args):
    d, path, name, addr = args
    errors = []
    n = 0
    for f, raw, m in messages(d):
        n += 1
        fp = f[:-4] + ".from"
        got = open(fp, encoding="utf-8", errors="replace").read()
        if got != path:
            errors.append("%s: MAIL FROM:<%s>, expected <%s>" %
                          (f, got, path))
        try:
            a = m["From"].addresses
        except Exception as e:          # a header the parser chokes on
            errors.append("%s: From header unreadable: %r" % (f, e))
            continue
        if len(a) != 1 or a[0].display_name != name or \
                a[0].addr_spec != addr:
            errors.append("%s: From %r parses to %r, expected %r <%s>" %
                          (f, str(m["From"]),
                           [(x.display_name, x.addr_spec) for x in a],
                           name, addr))
    if n == 0:
        errors.append("no message in %s" % d)
    return errors


def lines(args):
    d, name = args
    errors = []
    n = 0
    for f, raw, m in messages(d):
        n += 1
        head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        longest = max(len(x) for x in raw.split(b"\r\n"))
        hl = max(len(x) for x in head)
        print("%s: longest line %d bytes, longest header line %d" %
              (os.path.basename(f), longest, hl))
        if longest > 998:
            errors.append("%s: a line of %d bytes (over 998)" % (f, longest))
        got = norm(m["To"].addresses[0].display_name)
        if got != norm(name):
            errors.append("%s: To display name is %r... (%d characters), "
                          "expected %r... (%d)" % (f, got[:40], len(got),
                                                   name[:40], len(name)))
    if n == 0:
        errors.append("no message in %s" % d)
    return errors


def outbox(args):
    d = args[0]
    want = sorted(a.lower() for a in args[1:])
    errors = []
    names = sorted(os.listdir(d))
    for f in names:
        p = os.path.join(d, f)
        if not f.endswith(".eml"):
            errors.append("%s: not a .eml name" % p)
        if os.path.islink(p) or not os.path.isfile(p):
            errors.append("%s: not a regular file" % p)
    got = sorted(to_addr(m) for _, _, m in messages(d))
    if got != want:
        errors.append("files %s hold messages to %s, expected %s" %
                      (names, got, want))
    return errors


def log(args):
    path, n = args[0], int(args[1])
    unsure = []
    if "--unsure" in args:
        unsure = sorted(x.strip().lower() for x in
                        args[args.index("--unsure") + 1].split(","))
    errors = []
    try:
        rows = [json.loads(x) for x in open(path) if x.strip()]
    except (OSError, ValueError) as e:
        return ["%s: %s" % (path, e)]
    if len(rows) != n:
        errors.append("%s: %d lines, expected %d" % (path, len(rows), n))
    for r in rows:
        if not isinstance(r, dict) or not r.get("to") or \
                not r.get("message_id"):
            errors.append("%s: a line without to or message_id: %r" %
                          (path, r))
    got = sorted(r.get("to", "").lower() for r in rows
                 if isinstance(r, dict) and r.get("fate") == "unknown")
    if got != unsure:
        errors.append("%s: fate unknown for %s, expected %s" %
                      (path, got, unsure))
    return errors


def date(args):
    d, t0, t1 = args[0], int(args[1]), int(args[2])
    errors = []
    n = 0
    for f, raw, m in messages(d):
        n += 1
        t = email.utils.parsedate_to_datetime(str(m["Date"])).timestamp()
        if not t0 <= t <= t1:
            errors.append("%s: Date %s, expected between %s and %s" %
                          (f, m["Date"], email.utils.formatdate(t0),
                           email.utils.formatdate(t1)))
    if n == 0:
        errors.append("no message in %s" % d)
    return errors


def main():
    cmds = {"once": once, "to": to, "sender": sender, "lines": lines,
            "outbox": outbox, "log": log, "date": date}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    errors = cmds[sys.argv[1]](sys.argv[2:])
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
