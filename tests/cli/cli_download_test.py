#!/usr/bin/env python3
"""tgget download / resume end to end against a fresh tgget-testdc (--strict, no deviation allowed):
files checked by SHA-256 against their sources, the server's RPC log read for what tgget really
did. No terminal; each case its own server on ephemeral ports.

Usage: cli_download_test.py --tgget PATH --testdc PATH --case NAME
"""
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from testdc_fixture import TestDC  # noqa: E402
from cli_support import CLEAN_ENV, Fail, check, run  # noqa: E402,F401

MiB = 1 << 20
BIG = 200 * MiB + 12345  # the engine issue's size: 200+ parts, several syncs, budget growth


def pattern(size, seed):
    rng = random.Random(seed)
    return rng.randbytes(size)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            h.update(block)
    return h.hexdigest()


class World:
    """A manifest with channel @tgdemo: message 1 on DC 2, 2 on DC 4, 3 without a file."""

    def __init__(self, work, sizes=(20 * MiB + 12345, 6 * MiB + 777)):
        self.work = work
        self.files = {}
        messages = []
        for i, (size, dc) in enumerate(zip(sizes, (2, 4)), start=1):
            name = f"file{i}.bin"
            with open(os.path.join(work, name), "wb") as f:
                f.write(pattern(size, i))
            self.files[i] = os.path.join(work, name)
            messages.append({"id": i, "text": f"file {i}", "document": {"file": name, "dc": dc, "file_name": name}})
        messages.append({"id": 3, "text": "no file here"})
        self.manifest = os.path.join(work, "world.json")
        with open(self.manifest, "w") as f:
            json.dump({"dcs": [{"id": 1}, {"id": 2, "media": True}, {"id": 4}],
                       "accounts": [{"phone": "15550000001", "code": "12345", "first_name": "Alice"}],
                       "channels": [{"username": "tgdemo", "title": "Demo", "messages": messages}]}, f)

    def sha(self, i):
        return sha256_file(self.files[i])


class Cli:
    def __init__(self, tgget, dc, home):
        self.tgget, self.dc, self.home = tgget, dc, home

    def args(self, *args):
        return [self.tgget, "--env-file", self.dc.env_path, "--home", self.home, *args]

    def run(self, *args, timeout=120):
        p = subprocess.run(self.args(*args), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           env=CLEAN_ENV, timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def start(self, *args):
        return subprocess.Popen(self.args(*args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=CLEAN_ENV)

    def login(self):
        code, _, err = self.run("login", "--phone", "15550000001", "--code", "12345")
        check(code == 0, f"login exit {code}: {err}")


def with_server(tgget, testdc, body, extra_args=(), sizes=None):
    work = tempfile.mkdtemp(prefix="tgget-dl-")
    try:
        world = World(work, **({"sizes": sizes} if sizes else {}))
        with TestDC(testdc, manifest=world.manifest, extra_args=("--strict", *extra_args)) as dc:
            cli = Cli(tgget, dc, os.path.join(work, "home"))
            cli.login()
            body(cli, dc, world, work)
            deviations = [f for f in dc.rpc_lines() if len(f) > 4 and f[4] == "deviation"]
            check(not deviations, f"tgget committed deviations: {deviations}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def get_file_lines(dc, result=None):
    lines = [f for f in dc.rpc_lines() if len(f) > 7 and f[4] == "upload.getFile"]
    return [f for f in lines if result is None or f[7] == result]


def bytes_served(dc):
    return sum(int(f[6][4:]) for f in get_file_lines(dc, "ok"))


def json_events(stdout, kind=None):
    """The --json lines of a run (every line must be JSON), optionally of one type."""
    events = [json.loads(line) for line in stdout.splitlines()]
    check(events and events[-1]["type"] == "summary", f"no summary at the end: {stdout!r}")
    return [e for e in events if kind is None or e["type"] == kind]


def download_ok(cli, world, i, out, *extra):
    code, stdout, err = cli.run("--json", "download", f"t.me/tgdemo/{i}", "-o", out, *extra)
    check(code == 0, f"download exit {code}: {err}")
    check(os.path.exists(out) and not os.path.exists(out + ".part"), "the file is not in place")
    check(sha256_file(out) == world.sha(i), "the downloaded file differs from the source (SHA-256)")
    events = json_events(stdout, "done")
    check(len(events) == 1, f"json output: {stdout!r}")
    check(events[0]["sha256"] == world.sha(i), "the reported SHA-256 is not the file's")
    return events[0], err


def case_home_dc(tgget, testdc):
    def body(cli, dc, world, work):
        out = os.path.join(work, "one.bin")
        done, _ = download_ok(cli, world, 1, out)
        check(done["verified"] and done["unverified_bytes"] == 0, f"not verified: {done}")
        size = os.path.getsize(world.files[1])
        served, answers = bytes_served(dc), len(get_file_lines(dc, "ok"))
        # Each answer carries its TL framing (upload.file, storage type, mtime, length): < 64 bytes.
        check(size <= served <= size + 64 * answers, f"{served} bytes in {answers} answers for a {size}-byte file")
        check(answers == (size + MiB - 1) // MiB, f"{answers} parts fetched for {size} bytes")
        check(dc.count("upload.getFileHashes") > 0, "no hashes asked")
        # The message date is the file's mtime.
        check(abs(os.path.getmtime(out) - time.time()) > 60, "mtime not set from the message")
        # Again: nothing fetched, "already downloaded".
        before = len(get_file_lines(dc))
        code, stdout, err = cli.run("--json", "download", "t.me/tgdemo/1", "-o", out)
        check(code == 0 and len(json_events(stdout, "skipped")) == 1, f"second run: {code} {stdout} {err}")
        check(len(get_file_lines(dc)) == before, "a finished job was fetched again")
    with_server(tgget, testdc, body, sizes=(BIG, MiB))


def case_foreign_dc(tgget, testdc):
    def body(cli, dc, world, work):
        download_ok(cli, world, 2, os.path.join(work, "two.bin"))
        check(dc.count("auth.exportAuthorization") == 1, "export not exactly once")
        dcs = {f[1] for f in get_file_lines(dc, "ok")}
        check(dcs == {"dc=4"}, f"parts served by {dcs}")
    with_server(tgget, testdc, body, sizes=(MiB, BIG))


def case_no_verify(tgget, testdc):
    def body(cli, dc, world, work):
        done, _ = download_ok(cli, world, 1, os.path.join(work, "nv.bin"), "--no-verify")
        check(dc.count("upload.getFileHashes") == 0, "hashes asked with --no-verify")
        check(not done["verified"], "--no-verify reported verified")
    with_server(tgget, testdc, body)


def case_reference_expiry(tgget, testdc):
    # References live 1 s and each connection is capped, so the download outlives several.
    def body(cli, dc, world, work):
        download_ok(cli, world, 1, os.path.join(work, "ref.bin"))
        expired = len([f for f in dc.rpc_lines() if len(f) > 7 and f[7] == "FILE_REFERENCE_EXPIRED"])
        refetches = dc.count("channels.getMessages") - 1
        check(expired >= 3, f"only {expired} expired references seen")
        check(1 <= refetches <= expired, f"{refetches} refetches for {expired} expiries")
    with_server(tgget, testdc, body, ("--file-reference-lifetime", "1", "--bandwidth-per-connection", "20000000"),
                sizes=(BIG, MiB))


def case_flood_wait(tgget, testdc):
    # Past 40 requests a second per key: FLOOD_WAIT_1; and a free account may download over one
    # connection at a time (FLOOD_PREMIUM_WAIT otherwise). After the first refusal of a wait, only
    # the requests already on their way (2 sessions x 4 in flight) may still reach the DC; a client
    # that kept sending would draw refusals at full speed for the whole second. After its first
    # FLOOD_PREMIUM_WAIT, tgget keeps to one connection: no second penalty of that kind later.
    def body(cli, dc, world, work):
        done, err = download_ok(cli, world, 1, os.path.join(work, "flood.bin"))
        lines = get_file_lines(dc)
        waits = [i for i, f in enumerate(lines) if f[7].startswith("FLOOD_WAIT_")]
        check(waits, "no FLOOD_WAIT was caused")
        start = None
        for i in waits:
            t = int(lines[i][0])
            if start is None or t >= start + 1000:
                start = t  # a new wait begins; what the log has after its refusal arrived later
                later = [f for f in lines[i + 1:] if int(f[0]) < start + 950]
                check(len(later) <= 7, f"{len(later)} more upload.getFile reached the DC during the wait from {start}: "
                      f"{[(int(f[0]) - start, f[2], f[7]) for f in later]}")
        premium = [int(f[0]) for f in lines if f[7].startswith("FLOOD_PREMIUM_WAIT_")]
        check(premium, "no FLOOD_PREMIUM_WAIT was caused")
        check(premium[-1] - premium[0] < 1000, f"FLOOD_PREMIUM_WAIT drawn again later: {premium}")
        check("Telegram limits this account's download speed" in err, f"no notice: {err}")
        check(done["waited_s"] > 0 and done["retries"] > 0, f"report: {done}")
    with_server(tgget, testdc, body, ("--flood-rps", "40", "--flood-wait", "1", "--premium-parallel-limit", "1"),
                sizes=(BIG, MiB))


def case_resets(tgget, testdc):
    # Every connection is closed after 3 MiB: with 1 MiB parts four deep per session, each one
    # breaks with answers half sent.
    def body(cli, dc, world, work):
        download_ok(cli, world, 1, os.path.join(work, "reset.bin"))
        check(dc.count("handshake") == 1, "a reset cost a new key")
    with_server(tgget, testdc, body, ("--reset-every-bytes", "3145728"), sizes=(BIG, MiB))


def case_stall(tgget, testdc):
    # One connection goes silent after 40 MiB (socket open, nothing sent): the download completes,
    # the stalled requests were sent again by the watchdog and a new connection took over soon.
    def body(cli, dc, world, work):
        done, _ = download_ok(cli, world, 1, os.path.join(work, "stall.bin"))
        stalls = [f for f in dc.rpc_lines() if len(f) > 4 and f[4] == "stall"]
        check(len(stalls) == 1, f"{len(stalls)} stalls")
        check(done["reissued"] >= 1, f"nothing re-sent: {done}")
        t_stall, stalled = int(stalls[0][0]), stalls[0][2]
        after = [f for f in get_file_lines(dc, "ok") if int(f[0]) > t_stall and f[2] != stalled]
        check(after, "no part served after the stall")
        # The watchdog's bound has a 4 s floor; with some slack for a loaded machine.
        fresh = [f for f in after if int(f[2][5:]) > int(stalled[5:])]
        check(fresh and int(fresh[0][0]) - t_stall < 15000, "the silent connection was not replaced in time")
    with_server(tgget, testdc, body, ("--stall-after-bytes", str(40 * MiB), "--stall-connections", "1"),
                sizes=(BIG, MiB))


def case_hash_mismatch(tgget, testdc):
    # getFile sends wrong bytes once for a range while getFileHashes tells the truth: detected, the
    # part fetched again, the file right. With --no-verify the wrong bytes stay: the file differs.
    corrupt = ("--corrupt-range", f"{5 * MiB + 100}:1000", "--corrupt-times", "1")

    def body(cli, dc, world, work):
        done, _ = download_ok(cli, world, 1, os.path.join(work, "hm.bin"))
        check(done["hash_mismatches"] == 1 and done["verified"], f"report: {done}")
        corrupted = [f for f in dc.rpc_lines() if len(f) > 8 and f[8].startswith("corrupt bytes")]
        check(len(corrupted) == 1, f"{len(corrupted)} corrupted answers")
    with_server(tgget, testdc, body, corrupt)

    def body_no_verify(cli, dc, world, work):
        out = os.path.join(work, "nv.bin")
        code, stdout, err = cli.run("--json", "download", "t.me/tgdemo/1", "-o", out, "--no-verify")
        check(code == 0, f"exit {code}: {err}")
        check(sha256_file(out) != world.sha(1), "--no-verify: the corruption did not show")
        check(json_events(stdout, "done")[0]["verified"] is False, stdout)
    with_server(tgget, testdc, body_no_verify, corrupt)


def case_hash_always_wrong(tgget, testdc):
    # Every answer for the range is wrong: the file fails with a clear message, nothing is renamed
    # into place, and the other direction (lying hashes, right bytes, once) still completes.
    def body(cli, dc, world, work):
        out = os.path.join(work, "bad.bin")
        code, _, err = cli.run("download", "t.me/tgdemo/1", "-o", out)
        check(code != 0 and "HASH_MISMATCH" in err and "do not match" in err, f"exit {code}: {err}")
        check(not os.path.exists(out), "a wrong file was put in place")
    with_server(tgget, testdc, body, ("--corrupt-range", f"{3 * MiB}:10", "--corrupt-times", "0"))

    def body_hashes(cli, dc, world, work):
        done, _ = download_ok(cli, world, 1, os.path.join(work, "lying.bin"))
        check(done["hash_mismatches"] >= 1, f"report: {done}")
    with_server(tgget, testdc, body_hashes, ("--corrupt-hashes", f"{2 * MiB}:10", "--corrupt-times", "1"))


def case_no_file(tgget, testdc):
    def body(cli, dc, world, work):
        code, _, err = cli.run("download", "t.me/tgdemo/3", "-o", os.path.join(work, "x"))
        check(code != 0 and "message 3 of @tgdemo has no file" in err, f"exit {code}: {err}")
        code, _, err = cli.run("download", "t.me/nosuchchan/1", "-o", os.path.join(work, "x"))
        check(code != 0 and "@nosuchchan not found" in err, f"exit {code}: {err}")
        code, _, err = cli.run("download", "example.com/x", "-o", os.path.join(work, "x"))
        check(code == 2 and "not a t.me link" in err, f"exit {code}: {err}")
        check(not os.path.exists(os.path.join(work, "x")), "a file was written")
    with_server(tgget, testdc, body)


def case_several_links(tgget, testdc):
    # Three links in one command: both files land (named CHANNEL_MESSAGE_NAME in the current
    # directory), the message without a file is reported and the batch ends with exit 1.
    def body(cli, dc, world, work):
        out_dir = os.path.join(work, "out")
        os.makedirs(out_dir)
        p = subprocess.run(cli.args("--json", "download", "t.me/tgdemo/3", "t.me/tgdemo/1", "t.me/tgdemo/2"),
                           cwd=out_dir, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=CLEAN_ENV,
                           timeout=120)
        check(p.returncode == 1, f"exit {p.returncode}: {p.stderr}")
        check("message 3 of @tgdemo has no file" in p.stderr, f"stderr: {p.stderr}")
        done = {e["path"] for e in json_events(p.stdout, "done")}
        for i in (1, 2):
            path = os.path.join(out_dir, f"tgdemo_{i}_file{i}.bin")
            check(path in done, f"{path} not reported done: {done}")
            check(sha256_file(path) == world.sha(i), f"file {i} differs from its source")
        check(sorted(os.listdir(out_dir)) == ["tgdemo_1_file1.bin", "tgdemo_2_file2.bin"], os.listdir(out_dir))
        check(dc.count("contacts.resolveUsername") == 1, "the chat was resolved more than once")
    with_server(tgget, testdc, body)


def wait_for(predicate, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)  # polling a file another process writes; the predicate is the synchronisation
    raise Fail(f"timed out waiting for {what}")


def case_kill9_resume(tgget, testdc):
    # SIGKILL at 10 random moments (seeded), each time restarted; then the file is right, and what
    # the server sent in total stays under the size plus (in-flight budget + one sync batch) per kill.
    def body(cli, dc, world, work):
        out = os.path.join(work, "kill.bin")
        size = os.path.getsize(world.files[1])
        parts = (size + MiB - 1) // MiB
        rng = random.Random(7)
        targets = sorted(rng.sample(range(3, parts - 3), 10))
        kills = 0
        for target in targets:
            p = cli.start("download", "t.me/tgdemo/1", "-o", out) if kills == 0 else cli.start("resume")
            wait_for(lambda: len(get_file_lines(dc, "ok")) >= target or p.poll() is not None, f"{target} parts served")
            if p.poll() is not None:
                p.communicate()
                break
            p.send_signal(signal.SIGKILL)
            p.communicate()
            kills += 1
        check(kills >= 5, f"only {kills} kills landed before the download finished")
        code, _, err = cli.run("resume")
        check(code == 0, f"resume exit {code}: {err}")
        check(sha256_file(out) == world.sha(1), "the resumed file differs from the source")
        check(not os.path.exists(out + ".part"), "the .part is left")
        budget, sync_batch = 32 * MiB, 16 * MiB
        served = bytes_served(dc) - 64 * len(get_file_lines(dc, "ok"))
        check(served <= size + kills * (budget + sync_batch), f"{served} bytes served for {size} with {kills} kills")
        code, _, err = cli.run("resume")
        check(code == 0 and "nothing to resume" in err, f"resume after done: {code} {err}")
    with_server(tgget, testdc, body, ("--bandwidth-per-connection", "10000000"), sizes=(60 * MiB + 5, MiB))


def case_part_changed(tgget, testdc):
    # Killed halfway, then the .part is truncated: resume says it starts over, and the file is right.
    def body(cli, dc, world, work):
        out = os.path.join(work, "changed.bin")
        p = cli.start("download", "t.me/tgdemo/1", "-o", out)
        # Past the first sync batch (16 MiB), so the job has durable parts to continue from.
        wait_for(lambda: len(get_file_lines(dc, "ok")) >= 30 or p.poll() is not None, "30 parts served")
        p.send_signal(signal.SIGKILL)
        p.communicate()
        check(os.path.exists(out + ".part"), "no .part after the kill")
        os.truncate(out + ".part", 1000)
        code, _, err = cli.run("resume")
        check(code == 0, f"resume exit {code}: {err}")
        check("starting over" in err, f"no word about starting over: {err}")
        check(sha256_file(out) == world.sha(1), "the file differs from the source")
    with_server(tgget, testdc, body, ("--bandwidth-per-connection", "8000000"), sizes=(60 * MiB + 5, MiB))


def case_two_at_once(tgget, testdc):
    def body(cli, dc, world, work):
        out = os.path.join(work, "twice.bin")
        first = cli.start("download", "t.me/tgdemo/1", "-o", out)
        wait_for(lambda: len(get_file_lines(dc, "ok")) >= 2 or first.poll() is not None, "the first download")
        code, _, err = cli.run("download", "t.me/tgdemo/1", "-o", out)
        _, first_err = first.communicate(timeout=120)
        check(first.returncode == 0, f"the first download failed: {first_err}")
        check(code != 0 and "another tgget process" in err, f"second: exit {code}: {err}")
        check(sha256_file(out) == world.sha(1), "the file differs from the source")
    with_server(tgget, testdc, body, ("--bandwidth-per-connection", "8000000"))


if __name__ == "__main__":
    run(globals())
