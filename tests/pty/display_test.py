#!/usr/bin/env python3
"""The live display end to end (display_demo: the renderer chosen from the flags and the real
terminal): on a pty it redraws in place, logs above it and ends with the summary; through a pipe
the same run has no control characters; --json leaves only JSON on stdout.

Usage: display_test.py --demo PATH"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_run import run_in_pty  # noqa: E402


def check(condition, message):
    if not condition:
        print(f"FAIL: {message}")
        sys.exit(1)


args = argparse.ArgumentParser()
args.add_argument("--demo", required=True)
demo = args.parse_args().demo
env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}

r = run_in_pty([demo], env=env, columns=70, rows=20, timeout=30)
check(r.exit_code == 0 and not r.timed_out, f"exit {r.exit_code}")
out = r.output
check(b"\x1b[" in out and b"A\r\x1b[J" in out, "no cursor-up/erase on a terminal")
check(b"\x1b[32mdone dl/first-video.mp4" in out, "no colour on a terminal without NO_COLOR")
frames = out.count(b"total ")
check(2 <= frames <= 12, f"{frames} frames in under a second (at most ~10 a second)")
text = r.text()
check("tgget: warning: demo_warning dc=4" in text, "the log line is missing")
check("\x1b" not in text and "second ?[31mhostile?[0m name.mkv" in text, "a hostile name reached the terminal")
check(text.rstrip().endswith("2 done, 1 failed: 14.0 MB in 0:01 (17.5 MB/s), 1 retry, 1 s waiting for Telegram"),
      f"does not end with the summary: {text[-200:]!r}")
# The live lines stay narrower than the terminal (a wrapped line would break the cursor-up count);
# lasting lines (done, errors, logs, the summary) may wrap.
live = [line for line in text.splitlines() if "ETA" in line]
check(live and all(len(line) < 70 for line in live), "a live line is wider than the terminal")

r = run_in_pty([demo], env=dict(env, NO_COLOR="1"), columns=70, timeout=30)
check(not re.search(rb"\x1b\[[0-9;]*m", r.output) and b"\x1b[J" in r.output, "colours with NO_COLOR set")

p = subprocess.run([demo], capture_output=True, timeout=30, env=env)
check(p.returncode == 0 and p.stdout == b"", f"plain: exit {p.returncode}, stdout {p.stdout!r}")
check(all(c == 10 or 32 <= c < 127 or c >= 128 for c in p.stderr) and b"\x9b" not in p.stderr,
      f"control characters without a terminal: {p.stderr!r}")
check(b"start first-video.mp4" in p.stderr and b"error third.zip: channel is private" in p.stderr, p.stderr)
check(p.stderr.rstrip().endswith(b"1 s waiting for Telegram"), p.stderr)

r = run_in_pty([demo, "auto", "--json"], env=env, timeout=30)
p = subprocess.run([demo, "auto", "--json"], capture_output=True, timeout=30, env=env)
objects = [json.loads(line) for line in p.stdout.decode().splitlines()]
check(objects[0]["type"] == "start" and objects[-1]["type"] == "summary", "JSON lines")
check(b"warning: demo_warning" in p.stderr and b"error third.zip" in p.stderr, f"stderr with --json: {p.stderr!r}")
check(b"total " not in r.output, "--json on a terminal still drew the live display")
print("ok display")
