#!/usr/bin/python3
"""A small, misbehaving SMTP server for tests/e2e_deliver.sh (stdlib only).

    smtp_rogue.py --dir D --port-file F [options]
    smtp_rogue.py --self-test

Listens on 127.0.0.1 only, on a free port, and writes the port to F (a
temporary file renamed, so F appears complete) once listening.  Into D:

  NNNNNN.eml   each message taken, the bytes as received (dot-unstuffed);
               NNNNNN is K, the number of the DATA whose end it is (below),
               so numbers have gaps where a message was not accepted
  NNNNNN.rcpt  its RCPT addresses, one a line
  NNNNNN.from  its MAIL FROM path (no angle brackets)
  commands.log every command line received, as received (AUTH lines and
               their continuation lines too; not the DATA body), prefixed
               with the connection number and "plain" or "tls"
  auth.log     the credentials of every AUTH, decoded (a server that logs
               what it is given: the password check greps D)
  event files, empty, for the tests to wait on:
    conn-C       connection C (counted from 1) was accepted
    closed-C     connection C is over (its message, if any, settled)
    rcpt-K       the K-th RCPT command (across connections) was received
    pending-K    the end of the K-th DATA (across connections) was received
                 and its reply is about to be sent, or held (--hold)
    accepted-K   message K was taken (its files are saved) and its 250
                 sent, or tried when the client had gone

Options (combinable):
  --auth                 advertise AUTH PLAIN LOGIN, accept anything (235);
                         without --starttls it is offered in clear
  --require-auth         --auth, and 530 to a MAIL FROM before AUTH
  --starttls CERT KEY    advertise STARTTLS and upgrade; with --auth, AUTH
                         is advertised (and accepted) only after STARTTLS
  --auth-plaintext       ... unless this is given too
  --reply STAGE:CODE[:ADDR]  repeatable.  STAGE: mail, rcpt, data (the reply
                         to DATA), end (the reply after the final dot).
                         ADDR: for rcpt, that recipient; for data and end,
                         when ADDR is among the transaction's RCPTs; for
                         mail (no RCPT is known yet), when the MAIL FROM
                         path is ADDR.  Without ADDR: every transaction.
  --drop-data N          close the connection abruptly (RST) in the middle
                         of the N-th DATA body (after 1 KiB of it, or at
                         its final dot if shorter), before any reply
  --drop-end N           close the connection abruptly (RST) once the
                         final dot of the N-th DATA was read (after
                         pending-K), before any reply: the client cannot
                         tell whether it was taken
  --delay-ms N           wait N ms before every reply
  --hold                 hold the reply to the end of every DATA: write
                         pending-K, poll D/release-K every 20 ms, then reply;
                         a client gone meanwhile loses the message
  --end-delay-ms N       a slow server: wait N ms after the final dot (and
                         pending-K), then take the message, whether or not
                         the client is still there, and reply 250
  --max-line N           500 5.5.2 to a command line over N bytes (CRLF
                         included); a message with a line over N is refused
                         with 500 at the end of DATA
  --quit-after N         once N messages were accepted, close the listening
                         socket and exit (the server gone mid-delivery)
"""
import argparse
import base64
import os
import re
import select
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

LINE_CAP = 1 << 20      # a line is read whole up to this, then cut


class State:
    """What the connections share, under one lock."""

    def __init__(self, a):
        self.a = a
        self.dir = a.dir
        self.lock = threading.Lock()
        self.conns = 0
        self.rcpts = 0
        self.data_ends = 0
        self.data_starts = 0
        self.accepted = 0
        self.rules = []
        for r in a.reply:
            parts = r.split(":", 2)
            if len(parts) < 2 or parts[0] not in ("mail", "rcpt", "data",
                                                  "end"):
                sys.exit("smtp_rogue: bad --reply %r" % r)
            code = int(parts[1])
            addr = parts[2].lower() if len(parts) > 2 and parts[2] else None
            self.rules.append((parts[0], code, addr))
        self.log = open(os.path.join(self.dir, "commands.log"), "ab")
        self.authlog = open(os.path.join(self.dir, "auth.log"), "ab")
        self.listener = None

    def event(self, name):
        fd = os.open(os.path.join(self.dir, name),
                     os.O_WRONLY | os.O_CREAT, 0o644)
        os.close(fd)

    def next(self, what):
        with self.lock:
            n = getattr(self, what) + 1
            setattr(self, what, n)
            return n

    def log_line(self, conn, tls, line):
        with self.lock:
            self.log.write(b"%d %s %s\n" % (conn, b"tls" if tls else b"plain",
                                            line.rstrip(b"\r\n")))
            self.log.flush()

    def log_auth(self, conn, tls, what):
        with self.lock:
            self.authlog.write(b"%d %s %s\n" % (conn, b"tls" if tls else
                                                b"plain", what))
            self.authlog.flush()

    def rule(self, stage, rcpts=(), sender=None):
        for s, code, addr in self.rules:
            if s != stage:
                continue
            if addr is None:
                return code
            if stage == "mail" and sender is not None and \
                    sender.lower() == addr:
                return code
            if stage != "mail" and addr in rcpts:
                return code
        return None


TEXT = {450: "4.2.0 Mailbox busy, try again later",
        451: "4.3.0 Local error in processing, try again later",
        452: "4.3.1 Insufficient system storage, try again later",
        421: "4.3.2 Service not available, closing channel",
        454: "4.7.0 Temporary authentication failure",
        500: "5.5.2 Line too long",
        530: "5.7.0 Authentication required",
        535: "5.7.8 Authentication credentials invalid",
        550: "5.1.1 Mailbox unavailable",
        552: "5.3.4 Message size exceeds fixed limit",
        553: "5.1.3 Mailbox name not allowed",
        554: "5.7.1 Transaction failed"}


def text_of(code):
    return TEXT.get(code, "%d.0.0 Reply %d as configured" % (code // 100,
                                                            code))


class Gone(Exception):
    """The client closed the connection."""


class Conn:
    def __init__(self, st, sock, n):
        self.st = st
        self.a = st.a
        self.sock = sock
        self.n = n
        self.tls = False
        self.buf = b""
        self.reset()
        self.ehlo = False
        self.authed = False

    def reset(self):
        self.sender = None
        self.rcpts = []

    # ---- reading and writing ----
    def fill(self):
        try:
            data = self.sock.recv(65536)
        except (ConnectionError, ssl.SSLError, OSError):
            data = b""
        if not data:
            raise Gone()
        self.buf += data

    def readline(self):
        """A line with its line end; over LINE_CAP it is cut there."""
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                line, self.buf = self.buf[:i + 1], self.buf[i + 1:]
                return line
            if len(self.buf) > LINE_CAP:
                line, self.buf = self.buf, b""
                return line
            self.fill()

    def reply(self, code, text=None, more=()):
        if self.a.delay_ms:
            time.sleep(self.a.delay_ms / 1000.0)
        lines = [("%d-%s" % (code, m)) for m in more]
        lines.append("%d %s" % (code, text if text is not None else
                                text_of(code)))
        try:
            self.sock.sendall(("\r\n".join(lines) + "\r\n").encode())
        except (ConnectionError, ssl.SSLError, OSError):
            raise Gone()

    def too_long(self, line):
        return self.a.max_line and len(line) > self.a.max_line

    def command(self):
        line = self.readline()
        self.st.log_line(self.n, self.tls, line)
        return line

    def abort(self):
        """Close at once, with a reset rather than an orderly end."""
        try:
            raw = self.sock
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                           b"\x01\x00\x00\x00\x00\x00\x00\x00")
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass

    # ---- the dialogue ----
    def auth_offered(self):
        if not self.a.auth:
            return False
        if self.a.starttls and not self.tls and not self.a.auth_plaintext:
            return False
        return True

    def run(self):
        self.reply(220, "127.0.0.1 ESMTP smtp_rogue ready")
        while True:
            line = self.command()
            if self.too_long(line):
                self.reply(500)
                continue
            text = line.rstrip(b"\r\n").decode("utf-8", "replace")
            verb = text.split(" ", 1)[0].upper()
            arg = text[len(verb):].strip()
            if verb == "EHLO":
                more = ["127.0.0.1 greets %s" % arg, "8BITMIME", "SIZE 0"]
                if self.a.starttls and not self.tls:
                    more.append("STARTTLS")
                if self.auth_offered():
                    more.append("AUTH PLAIN LOGIN")
                self.ehlo = True
                self.reset()
                self.reply(250, "HELP", more)
            elif verb == "HELO":
                self.ehlo = True
                self.reset()
                self.reply(250, "127.0.0.1")
            elif verb == "STARTTLS":
                if not self.a.starttls or self.tls:
                    self.reply(503, "5.5.1 STARTTLS not available")
                    continue
                self.reply(220, "2.0.0 Ready to start TLS")
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(self.a.starttls[0], self.a.starttls[1])
                try:
                    self.sock = ctx.wrap_socket(self.sock, server_side=True)
                except (ssl.SSLError, OSError) as e:
                    print("smtp_rogue: connection %d: TLS handshake: %s" %
                          (self.n, e), file=sys.stderr)
                    raise Gone()
                self.tls = True
                self.buf = b""
                self.ehlo = False
                self.authed = False
                self.reset()
            elif verb == "AUTH":
                self.auth(arg)
            elif verb == "MAIL":
                m = re.match(r"(?i)FROM:\s*<([^>]*)>", arg)
                if not m:
                    self.reply(501, "5.5.4 Syntax: MAIL FROM:<address>")
                    continue
                if self.sender is not None:
                    self.reply(503, "5.5.1 Nested MAIL command")
                    continue
                if self.a.require_auth and not self.authed:
                    self.reply(530)
                    continue
                code = self.st.rule("mail", sender=m.group(1))
                if code:
                    self.reply(code)
                    continue
                self.sender = m.group(1)
                self.rcpts = []
                self.reply(250, "2.1.0 OK")
            elif verb == "RCPT":
                k = self.st.next("rcpts")
                self.st.event("rcpt-%d" % k)
                m = re.match(r"(?i)TO:\s*<([^>]*)>", arg)
                if self.sender is None:
                    self.reply(503, "5.5.1 MAIL first")
                    continue
                if not m:
                    self.reply(501, "5.5.4 Syntax: RCPT TO:<address>")
                    continue
                addr = m.group(1)
                code = self.st.rule("rcpt", [addr.lower()])
                if code:
                    self.reply(code)
                    continue
                self.rcpts.append(addr)
                self.reply(250, "2.1.5 OK")
            elif verb == "DATA":
                self.data()
            elif verb == "RSET":
                self.reset()
                self.reply(250, "2.0.0 OK")
            elif verb == "NOOP":
                self.reply(250, "2.0.0 OK")
            elif verb == "VRFY":
                self.reply(252, "2.0.0 Cannot VRFY")
            elif verb == "QUIT":
                self.reply(221, "2.0.0 Bye")
                return
            else:
                self.reply(500, "5.5.1 Command unrecognized")

    def auth(self, arg):
        if not self.auth_offered():
            self.reply(503, "5.5.1 AUTH not available")
            return
        parts = arg.split()
        mech = parts[0].upper() if parts else ""
        if mech == "PLAIN":
            if len(parts) > 1:
                resp = parts[1]
            else:
                self.reply(334, "")
                resp = self.command().strip().decode("ascii", "replace")
            try:
                creds = base64.b64decode(resp)
            except ValueError:
                creds = b"?" + resp.encode()
            self.st.log_auth(self.n, self.tls, b"PLAIN " +
                             creds.replace(b"\0", b" "))
        elif mech == "LOGIN":
            got = []
            if len(parts) > 1:
                got.append(parts[1])
            else:
                self.reply(334, "VXNlcm5hbWU6")
                got.append(self.command().strip().decode("ascii", "replace"))
            self.reply(334, "UGFzc3dvcmQ6")
            got.append(self.command().strip().decode("ascii", "replace"))
            dec = []
            for g in got:
                try:
                    dec.append(base64.b64decode(g))
                except ValueError:
                    dec.append(b"?" + g.encode())
            self.st.log_auth(self.n, self.tls, b"LOGIN " + b" ".join(dec))
        else:
            self.reply(504, "5.5.4 Unrecognized authentication type")
            return
        self.authed = True
        self.reply(235, "2.7.0 Authentication successful")

    def data(self):
        if self.sender is None:
            self.reply(503, "5.5.1 MAIL first")
            return
        if not self.rcpts:
            self.reply(554, "5.5.1 No valid recipients")
            return
        low = [r.lower() for r in self.rcpts]
        code = self.st.rule("data", low)
        if code:
            self.reply(code)
            return
        self.reply(354, "End data with <CR><LF>.<CR><LF>")
        started = self.st.next("data_starts")
        drop = self.a.drop_data and started == self.a.drop_data
        drop_end = self.a.drop_end and started == self.a.drop_end
        body = []
        size = 0
        long_line = False
        while True:
            line = self.readline()
            if line == b".\r\n" or line == b".\n":
                if drop:
                    # A short message: dropped before its end is read.
                    print("smtp_rogue: connection %d: dropped at the end "
                          "of DATA %d" % (self.n, started), file=sys.stderr)
                    self.abort()
                    raise Gone()
                break
            if self.too_long(line):
                long_line = True
            if line.startswith(b"."):
                line = line[1:]
            body.append(line)
            size += len(line)
            if drop and size > 1024:
                print("smtp_rogue: connection %d: dropped in DATA %d" %
                      (self.n, started), file=sys.stderr)
                self.abort()
                raise Gone()
        k = self.st.next("data_ends")
        self.st.event("pending-%d" % k)
        if drop_end:
            print("smtp_rogue: connection %d: dropped after the end of "
                  "DATA %d" % (self.n, started), file=sys.stderr)
            self.abort()
            raise Gone()
        if self.a.hold:
            self.wait_release(k)
        if self.a.end_delay_ms:
            time.sleep(self.a.end_delay_ms / 1000.0)
        if long_line:
            self.reply(500)
            self.reset()
            return
        code = self.st.rule("end", low)
        if code:
            self.reply(code)
            self.reset()
            return
        # Taken before the reply, as a server queues a message: a client
        # gone meanwhile does not undo it.
        base = os.path.join(self.st.dir, "%06d" % k)
        for ext, data in ((".rcpt", "".join(r + "\n" for r in self.rcpts)
                           .encode()),
                          (".from", self.sender.encode()),
                          (".eml", b"".join(body))):
            with open(base + ext + ".tmp", "wb") as f:
                f.write(data)
            os.rename(base + ext + ".tmp", base + ext)
        try:
            self.reply(250, "2.0.0 Ok: queued as %06d" % k)
        finally:
            self.st.event("accepted-%d" % k)
        self.reset()
        n = self.st.next("accepted")
        if self.a.quit_after and n >= self.a.quit_after:
            print("smtp_rogue: %d accepted, quitting" % n, file=sys.stderr)
            try:
                self.st.listener.close()
            except OSError:
                pass
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            os._exit(0)

    def wait_release(self, k):
        release = os.path.join(self.st.dir, "release-%d" % k)
        raw = self.sock
        while not os.path.exists(release):
            r, _, _ = select.select([raw], [], [], 0.02)
            if r:
                # The client said something while waiting, or left.
                self.fill()


def serve(a):
    st = State(a)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    st.listener = ls
    port = ls.getsockname()[1]
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, a.port_file)

    def handle(sock, n):
        c = Conn(st, sock, n)
        try:
            c.run()
        except Gone:
            pass
        except Exception as e:      # a bug here must not look like the client's
            print("smtp_rogue: connection %d: %r" % (n, e), file=sys.stderr)
        finally:
            try:
                c.sock.close()
            except OSError:
                pass
            st.event("closed-%d" % n)

    while True:
        try:
            sock, _ = ls.accept()
        except OSError:
            return
        n = st.next("conns")
        st.event("conn-%d" % n)
        threading.Thread(target=handle, args=(sock, n), daemon=True).start()


# ---- the self-test ----

def self_test():
    import smtplib
    from email.message import EmailMessage
    errors = []
    here = os.path.abspath(__file__)
    top = tempfile.mkdtemp(prefix="smtp_rogue_test.")

    def expect(name, cond):
        if not cond:
            errors.append(name)
            print("not ok: smtp_rogue self-test: %s" % name)

    def start(name, *opts):
        d = os.path.join(top, name)
        os.mkdir(d)
        pf = os.path.join(d, "..", name + ".port")
        p = subprocess.Popen([sys.executable, here, "--dir", d,
                              "--port-file", pf] + list(opts))
        for _ in range(500):
            if os.path.exists(pf):
                break
            time.sleep(0.01)
        port = int(open(pf).read())
        return p, d, port

    def msg(to, body="Hello.\n.leading dot\n..two dots\n"):
        m = EmailMessage()
        m["From"] = "a@example.org"
        m["To"] = to
        m["Subject"] = "test"
        m.set_content(body)
        return m

    def files(d, ext):
        return sorted(f for f in os.listdir(d) if f.endswith(ext))

    def wait_file(path, secs=10):
        for _ in range(secs * 100):
            if os.path.exists(path):
                return True
            time.sleep(0.01)
        return False

    procs = []
    try:
        # Plain, and dot-unstuffing; a refused recipient.
        p, d, port = start("plain", "--reply", "rcpt:550:no@example.org")
        procs.append(p)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            s.send_message(msg("b@example.org"))
            try:
                s.send_message(msg("no@example.org"))
                expect("550 for one address", False)
            except smtplib.SMTPRecipientsRefused as e:
                expect("550 code", e.recipients["no@example.org"][0] == 550)
        expect("one message saved", files(d, ".eml") == ["000001.eml"])
        raw = open(os.path.join(d, "000001.eml"), "rb").read()
        expect("dot-unstuffed", b"\r\n.leading dot\r\n..two dots\r\n" in raw)
        expect(".rcpt", open(os.path.join(d, "000001.rcpt")).read() ==
               "b@example.org\n")
        expect(".from", open(os.path.join(d, "000001.from")).read() ==
               "a@example.org")
        log = open(os.path.join(d, "commands.log")).read()
        expect("commands logged", re.search(r"(?i)^1 plain MAIL FROM:<a@example.org>",
                                            log, re.M))
        expect("events", all(os.path.exists(os.path.join(d, e)) for e in
                             ("conn-1", "rcpt-1", "rcpt-2", "pending-1",
                              "accepted-1")))

        # AUTH without TLS.
        p, d, port = start("auth", "--auth")
        procs.append(p)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            s.login("user", "Secret-pass")
            s.send_message(msg("b@example.org"))
        log = open(os.path.join(d, "commands.log")).read()
        expect("AUTH logged plain", re.search(r"^1 plain AUTH ", log, re.M))
        expect("credentials logged", b"Secret-pass" in
               open(os.path.join(d, "auth.log"), "rb").read())
        expect("auth: saved", files(d, ".eml") == ["000001.eml"])

        # Temporary reply at the end of DATA; hold and release.
        p, d, port = start("hold", "--hold", "--reply", "end:452:x@example.org")
        procs.append(p)
        with smtplib.SMTP("127.0.0.1", port, timeout=20) as s:
            t = threading.Timer(0.3, lambda: open(os.path.join(
                d, "release-1"), "w").close())
            t.start()
            s.send_message(msg("b@example.org"))
            expect("held until released", os.path.exists(
                os.path.join(d, "release-1")))
            open(os.path.join(d, "release-2"), "w").close()
            try:
                s.send_message(msg("x@example.org"))
                expect("452 at the end of DATA", False)
            except smtplib.SMTPDataError as e:
                expect("452 code", e.smtp_code == 452)
        expect("hold: one saved", files(d, ".eml") == ["000001.eml"])

        # Slow; refusals at MAIL (by sender) and DATA (by recipient).
        p, d, port = start("slow", "--delay-ms", "100", "--reply",
                           "mail:450:bad@example.org", "--reply",
                           "data:554:x@example.org")
        procs.append(p)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            t = time.monotonic()
            s.noop()
            expect("delayed reply", time.monotonic() - t >= 0.09)
            code, _ = s.mail("bad@example.org")
            expect("450 to MAIL", code == 450)
            s.rset()
            try:
                s.sendmail("a@example.org", ["x@example.org"], b"\r\nx\r\n")
                expect("554 to DATA", False)
            except smtplib.SMTPDataError as e:
                expect("554 code", e.smtp_code == 554)
        expect("slow: nothing saved", files(d, ".eml") == [])

        # Dropped in the middle of DATA, then a line too long.
        p, d, port = start("drop", "--drop-data", "1", "--max-line", "1000")
        procs.append(p)
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
                s.send_message(msg("b@example.org", "x\n" * 2000))
            expect("dropped", False)
        except (smtplib.SMTPException, OSError):
            pass
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            try:
                s.sendmail("a@example.org", ["b@example.org"],
                           b"Subject: long\r\n\r\n" + b"y" * 1200 + b"\r\n")
                expect("long line refused", False)
            except smtplib.SMTPDataError as e:
                expect("500 for a long line", e.smtp_code == 500)
            code, _ = s.docmd("NOOP " + "z" * 1000)
            expect("500 for a long command", code == 500)
        expect("drop: nothing saved", files(d, ".eml") == [])

        # A slow reply to the end of DATA: a client that gave up still
        # leaves the message taken; one that waits gets the 250.
        p, d, port = start("slowend", "--end-delay-ms", "1000")
        procs.append(p)
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=0.2) as s:
                s.send_message(msg("b@example.org"))
            expect("client timed out", False)
        except (smtplib.SMTPException, OSError):
            pass
        expect("slow end: taken after the client left",
               wait_file(os.path.join(d, "accepted-1")) and
               files(d, ".eml") == ["000001.eml"])
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            t = time.monotonic()
            s.send_message(msg("b@example.org"))
            expect("slow end: 250 after the delay",
                   time.monotonic() - t >= 0.9)

        # A login required before MAIL FROM; dropped after the final dot.
        p, d, port = start("reqauth", "--require-auth", "--drop-end", "1")
        procs.append(p)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            s.ehlo()
            expect("AUTH offered in clear", s.has_extn("auth"))
            code, _ = s.mail("a@example.org")
            expect("530 to MAIL before AUTH", code == 530)
            s.login("user", "Secret-pass")
            try:
                s.send_message(msg("b@example.org"))
                expect("dropped after the end", False)
            except (smtplib.SMTPException, OSError):
                pass
        expect("drop end: the end was read",
               os.path.exists(os.path.join(d, "pending-1")))
        expect("drop end: nothing saved", files(d, ".eml") == [])

        # STARTTLS, AUTH only after it.
        cert = os.path.join(top, "cert.pem")
        key = os.path.join(top, "key.pem")
        r = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-days", "2", "-subj", "/CN=localhost", "-addext",
             "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key,
             "-out", cert], capture_output=True)
        if r.returncode == 0:
            p, d, port = start("tls", "--starttls", cert, key, "--auth",
                               "--quit-after", "1")
            procs.append(p)
            ctx = ssl.create_default_context(cafile=cert)
            with smtplib.SMTP("localhost", port, timeout=10) as s:
                s.ehlo()
                expect("no AUTH before TLS", not s.has_extn("auth"))
                s.starttls(context=ctx)
                s.ehlo()
                expect("AUTH after TLS", s.has_extn("auth"))
                s.login("user", "Secret-pass")
                s.send_message(msg("b@example.org"))
            log = open(os.path.join(d, "commands.log")).read()
            auth = [ln for ln in log.splitlines() if " AUTH " in ln]
            expect("AUTH marked tls", auth and
                   all(ln.split()[1] == "tls" for ln in auth))
            expect("tls: saved", files(d, ".eml") == ["000001.eml"])
            expect("quit after 1", p.wait(10) == 0)
        else:
            print("smtp_rogue self-test: no openssl, STARTTLS not tested")
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        if not errors:
            subprocess.run(["rm", "-rf", top])
        else:
            print("smtp_rogue self-test: see %s" % top)
    print("smtp_rogue self-test: %s" % ("FAILED" if errors else "ok"))
    return 1 if errors else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--dir")
    ap.add_argument("--port-file")
    ap.add_argument("--auth", action="store_true")
    ap.add_argument("--require-auth", action="store_true")
    ap.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--auth-plaintext", action="store_true")
    ap.add_argument("--reply", action="append", default=[])
    ap.add_argument("--drop-data", type=int, default=0)
    ap.add_argument("--drop-end", type=int, default=0)
    ap.add_argument("--end-delay-ms", type=int, default=0)
    ap.add_argument("--delay-ms", type=int, default=0)
    ap.add_argument("--hold", action="store_true")
    ap.add_argument("--max-line", type=int, default=0)
    ap.add_argument("--quit-after", type=int, default=0)
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    if not a.dir or not a.port_file:
        ap.error("--dir and --port-file are required")
    a.auth = a.auth or a.require_auth
    os.makedirs(a.dir, exist_ok=True)
    serve(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
