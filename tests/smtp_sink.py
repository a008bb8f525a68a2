"""An SMTP sink for the delivery tests (tests/e2e_send.sh, tests/oom/run.sh):

    SINK_DIR=D python3 tests/smtp_sink.py PORT_FILE

serves on a free loopback port and writes that port, one line, into
PORT_FILE (made by the caller, a FIFO: its reader waits for the server,
not for a delay) once the server listens.  Each message accepted is
saved as D/NNNNNN.eml (the bytes as received) with D/NNNNNN.rcpt (its
envelope recipients, one a line), and its Message-ID is appended to
D/message-ids, one a line: all three are written before the server
replies 250, so that a client that has its reply finds them.  SINK_REFUSE
names recipients to refuse with 550 (comma-separated); SINK_MAX=N makes
the server exit when it is asked for a message after N were accepted (or
half a second after the Nth), as a server that goes down in the middle of
a delivery.
"""
import asyncio
import email.parser
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self):
        self.dir = os.environ["SINK_DIR"]
        self.refuse = {a.strip().lower()
                       for a in os.environ.get("SINK_REFUSE", "").split(",")
                       if a.strip()}
        self.max = int(os.environ.get("SINK_MAX", "0"))
        self.count = 0

    async def handle_MAIL(self, server, session, envelope, address,
                          mail_options):
        if self.max and self.count >= self.max:
            os._exit(0)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        names = os.listdir(self.dir)
        n = len([f for f in names if f.endswith(".eml")]) + 1
        base = os.path.join(self.dir, "%06d" % n)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos) + "\n")
        os.rename(base + ".tmp", base + ".eml")
        head = email.parser.BytesHeaderParser().parsebytes(
            envelope.original_content)
        with open(os.path.join(self.dir, "message-ids"), "a") as f:
            f.write("%s\n" % " ".join(str(head["Message-ID"]).split()))
        self.count += 1
        if self.max and self.count >= self.max:
            # Long enough for the reply to leave, then the server is gone.
            asyncio.get_running_loop().call_later(0.5, os._exit, 0)
        return "250 Message accepted for delivery"


def main():
    sink = Sink()
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(sink), host="127.0.0.1", port=0))
    with open(sys.argv[1], "w") as f:
        f.write("%d\n" % server.sockets[0].getsockname()[1])
    loop.run_forever()


if __name__ == "__main__":
    main()
