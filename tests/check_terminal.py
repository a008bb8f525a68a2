"""Run iomreport on a pseudo-terminal and print what the terminal got.

usage: check_terminal.py OUT_FILE BINARY ARG...

Standard input, output and error are the pty, as in an interactive shell;
the bytes the terminal received are written to OUT_FILE and the run's exit
status is this script's.  Reading stops when the child closes the pty, so
no timing is involved.
"""
import os
import pty
import sys


def main():
    out, argv = sys.argv[1], sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(argv[0], argv)
    got = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:            # EIO: the child side is closed
            break
        if not chunk:
            break
        got += chunk
    _, status = os.waitpid(pid, 0)
    with open(out, "wb") as f:
        f.write(got)
    sys.exit(os.waitstatus_to_exitcode(status))


main()
