"""Runs a command under a pseudo-terminal and returns what it printed, so a test can see what a
person at a terminal sees (the live display, colours, cursor movement) without tmux.

    from pty_run import run_in_pty
    result = run_in_pty(["tgget", "download", ...], columns=100, rows=30, timeout=60)
    result.exit_code, result.output (bytes as written, escapes included), result.text()

The command's stdin, stdout and stderr are the pty's slave side (isatty() is true for all three),
with the given window size. Output is read until the command exits and the pty is drained (or the
timeout kills the command's process group; result.timed_out says so).
"""
import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass

# CSI sequences (cursor moves, erase, colours) and OSC strings: what text() strips.
_ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)|\x1b[@-Z\\-_]")


@dataclass
class PtyResult:
    exit_code: int
    output: bytes
    timed_out: bool

    def text(self):
        """The output without escape sequences and carriage returns, as UTF-8 text."""
        return _ESCAPES.sub(b"", self.output).replace(b"\r", b"").decode("utf-8", "replace")


def run_in_pty(argv, *, env=None, cwd=None, columns=80, rows=24, timeout=60, input_bytes=None):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    # No echo and no \n -> \r\n translation: what is read back is what the program wrote.
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.ONLCR
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(slave, termios.TCSANOW, attrs)

    def child_setup():
        os.setsid()  # a session of its own, with the pty as its controlling terminal
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                            preexec_fn=child_setup, close_fds=True)
    os.close(slave)
    if input_bytes:
        os.write(master, input_bytes)
    chunks = []
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([master], [], [], min(left, 0.2))
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError as e:  # EIO: every slave side is closed (the command exited)
                    if e.errno != errno.EIO:
                        raise
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                # Exited; what is still buffered is read on the next rounds until EIO.
                continue
        exit_code = proc.wait(timeout=10)
    finally:
        os.close(master)
    return PtyResult(exit_code, b"".join(chunks), timed_out)
