#!/usr/bin/env python3
"""Disk and state faults (issue 11) against the real binary and a fresh tgget-testdc per case: a
damaged or locked state database, the output directory removed mid-run. Each ends in a clear error
with the right exit code, and nothing downloaded before is lost.

Usage: cli_faults_test.py --tgget PATH --testdc PATH --case NAME
"""
import os
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from cli_batch_test import Cli, sha, sha256_file, with_world  # noqa: E402
from cli_support import CLEAN_ENV, Fail, check, run, wait_for  # noqa: E402


def case_damaged_state(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "d")
        code, _, err = cli.run("download", "t.me/files/1", "-d", out)
        check(code == 0, f"first download: {code} {err}")
        done = os.path.join(out, "files_1_shared.bin")
        db = os.path.join(cli.home, "jobs.sqlite")
        with open(db, "r+b") as f:  # the header and the first pages overwritten
            f.write(b"\xff" * 8192)
        for path in (db + "-wal", db + "-shm"):
            if os.path.exists(path):
                os.remove(path)
        code, _, err = cli.run("download", "t.me/files/2", "-d", out)
        check(code == 8 and "jobs.sqlite" in err, f"a damaged state database: exit {code}: {err}")
        code, _, err = cli.run("status")
        check(code == 8 and "jobs.sqlite" in err, f"status on a damaged database: exit {code}: {err}")
        check(sha256_file(done) == sha("files", 1), "a finished file was touched")
    with_world(tgget, testdc, body)


def case_locked_state(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "l")
        code, _, err = cli.run("download", "t.me/files/1", "-d", out)
        check(code == 0, f"first download: {code} {err}")
        holder = sqlite3.connect(os.path.join(cli.home, "jobs.sqlite"), timeout=0, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # another process holds the database for good
        try:
            code, _, err = cli.run("download", "t.me/files/2", "-d", out, timeout=120)
            check(code == 8 and "jobs.sqlite" in err, f"a locked database: exit {code}: {err}")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        code, _, err = cli.run("download", "t.me/files/2", "-d", out)
        check(code == 0 and sha256_file(os.path.join(out, "files_2_a.jpg")) == sha("files", 2),
              f"once released: exit {code}: {err}")
    with_world(tgget, testdc, body)


def case_directory_removed(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "gone")
        p = subprocess.Popen(cli.args("download", "t.me/files/12", "-d", out, "--limit-rate", "256K"),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=CLEAN_ENV)
        part = os.path.join(out, "files_12_big.bin.part")
        wait_for(lambda: os.path.exists(part) or p.poll() is not None, "the .part")
        if p.poll() is not None:
            raise Fail(f"ended early: {p.communicate()}")
        subprocess.run(["rm", "-rf", out], check=True)
        _, err = p.communicate(timeout=120)
        check(p.returncode == 8, f"the directory removed mid-run: exit {p.returncode}: {err}")
        check("tgget: " in err and "Traceback" not in err, err)
        code, _, err = cli.run("resume")
        check(code == 0, f"resume after the directory came back: exit {code}: {err}")
        check(sha256_file(os.path.join(out, "files_12_big.bin")) == sha("files", 12), "the file differs")
    with_world(tgget, testdc, body)


def case_no_secrets_in_download(tgget, testdc):
    # A download at -vv into a log file with --json: neither the log, the JSON stream, the job
    # database nor the downloaded file's neighbours hold an auth key (or a piece of one).
    def body(cli, dc, work):
        out = os.path.join(work, "s")
        log = os.path.join(work, "tgget.log")
        code, stdout, err = cli.run("-vv", "--log-file", log, "--json", "download", "t.me/files/12", "t.me/files/1",
                                    "-d", out)
        check(code == 0, f"download: {code} {err}")
        check(os.stat(log).st_mode & 0o077 == 0, "the log file is readable by others")
        db = sqlite3.connect(os.path.join(cli.home, "accounts", "default.sqlite"))
        tables = [t for t, in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        keys = [cell for t in tables for row in db.execute(f"SELECT * FROM {t}") for cell in row
                if isinstance(cell, bytes) and len(cell) == 256]
        db.close()
        check(keys, "no auth key in the account database")
        with open(log, "rb") as f:
            texts = [f.read(), stdout.encode(), err.encode()]
        with open(os.path.join(cli.home, "jobs.sqlite"), "rb") as f:
            texts.append(f.read())
        for key in keys:
            pieces = [key[i:i + 16] for i in range(0, 256, 64)]
            hexes = [p.hex().encode() for p in pieces]
            for blob in texts:
                check(not any(p in blob for p in pieces + hexes), "a piece of an auth key was written out")
        for path in (os.path.join(cli.home, "jobs.sqlite"), os.path.join(cli.home, "accounts", "default.sqlite")):
            check(os.stat(path).st_mode & 0o077 == 0, f"{path} is readable by others")
    with_world(tgget, testdc, body)


if __name__ == "__main__":
    run(globals())
