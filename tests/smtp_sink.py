"""An SMTP sink for tests/e2e_send.sh, loaded by aiosmtpd:

    SINK_DIR=D python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Sink

Each message accepted is saved as D/NNNNNN.eml (the bytes as received)
with D/NNNNNN.rcpt (its envelope recipients, one a line).  SINK_REFUSE
names recipients to refuse with 550 (comma-separated); SINK_MAX=N makes the
server exit when it is asked for a message after N were accepted (or
half a second after the Nth), as a server that goes down in the middle of
a delivery.
"""
import asyncio
import os


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
        self.count += 1
        if self.max and self.count >= self.max:
            # Long enough for the reply to leave, then the server is gone.
            asyncio.get_running_loop().call_later(0.5, os._exit, 0)
        return "250 Message accepted for delivery"
