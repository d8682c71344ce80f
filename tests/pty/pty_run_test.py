#!/usr/bin/env python3
"""Self-test of pty_run: the command sees a terminal of the given size, its escapes arrive
unchanged, the exit code and all of the output come back, a hanging command is killed."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_run import run_in_pty  # noqa: E402


def check(condition, message):
    if not condition:
        print(f"FAIL: {message}")
        sys.exit(1)


PY = sys.executable

# A terminal on every stream, of the size asked for.
r = run_in_pty([PY, "-c", "import os,sys,shutil;"
                "print(all(os.isatty(f) for f in (0,1,2)), os.get_terminal_size(2).columns, os.get_terminal_size(2).lines)"],
               columns=123, rows=45, timeout=30)
check(r.exit_code == 0 and not r.timed_out, f"exit {r.exit_code}")
check(r.text().strip() == "True 123 45", f"terminal facts: {r.text()!r}")

# Escapes come back byte for byte; text() strips them; stderr is there too; the exit code passes.
script = ("import sys; sys.stdout.write('a\\x1b[31mred\\x1b[0m\\n'); sys.stdout.flush();"
          "sys.stderr.write('\\x1b[2A\\r\\x1b[Jredrawn\\n'); sys.exit(3)")
r = run_in_pty([PY, "-c", script], timeout=30)
check(r.exit_code == 3, f"exit code {r.exit_code}")
check(r.output == b"a\x1b[31mred\x1b[0m\n\x1b[2A\r\x1b[Jredrawn\n", f"raw output {r.output!r}")
check(r.text() == "ared\nredrawn\n", f"text {r.text()!r}")

# A lot of output written right before exiting is not lost.
r = run_in_pty([PY, "-c", "import sys; sys.stdout.write('x' * 200000 + 'END\\n')"], timeout=30)
check(r.exit_code == 0 and r.output.endswith(b"END\n") and len(r.output) == 200004, f"{len(r.output)} bytes")

# A command that never ends is killed at the timeout.
r = run_in_pty([PY, "-c", "import time; print('started', flush=True); time.sleep(60)"], timeout=2)
check(r.timed_out and b"started" in r.output, f"timeout: {r}")

# Input reaches the command's stdin.
r = run_in_pty([PY, "-c", "print('got', input())"], input_bytes=b"hello\n", timeout=30)
check("got hello" in r.text(), f"input: {r.text()!r}")

print("ok pty_run")
