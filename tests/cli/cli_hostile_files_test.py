#!/usr/bin/env python3
"""tgget against a server that is hostile at the file level (tgget-testdc --hostile-file NAME):
answers longer or shorter than asked, bytes that change between two requests of a range, a
document whose size or id changes when its message is fetched again, names that are paths, and a
disk that fills up mid-download (RLIMIT_FSIZE). Whatever the server does, tgget never puts a wrong
byte on disk, never writes outside -d, never hangs: it finishes with the right SHA-256, or stops
with a clear error and the exit code of its table (README), its state consistent for a resume.

Usage: cli_hostile_files_test.py --tgget PATH --testdc PATH --case NAME
"""
import functools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from cli_batch_test import Cli, of_type  # noqa: E402
from cli_support import CLEAN_ENV, Fail, check, run, sha256_file  # noqa: E402
from testdc_fixture import TestDC  # noqa: E402
from testdc_world import Manifest, add, generate  # noqa: E402
from testdc_world import generated_sha256 as slow_generated_sha256  # noqa: E402

MiB = 1 << 20
ALICE = "15550000001"
# Message -> (seed, size) of the generated documents of channel @hostile.
SMALL = (41, 3 * MiB + 1234)     # 256 KiB parts: 13 of them
BIG = (42, 20 * MiB + 77)        # 1 MiB parts: 21 of them
# Version 2 of a changed document (tools/testdc/hostile_files.cpp): the seed XOR this, and for
# document-changes this many bytes more.
SEED_FLIP = 0x7632763276327632
SIZE_CHANGE = 777 * 1024 + 5
HOSTILE_NAMES = {
    10: "../../.bashrc",
    11: "a\u0000b\u0000.bin",
    12: "n" * 4096 + ".bin",
    13: "./.././/.../..//./",
    14: "/tmp/x/../../../etc/cron.d/evil.bin",
    15: ".hidden",
}


@functools.lru_cache(maxsize=None)
def generated_sha256(seed, size):
    """The SHA-256 of a generated document (pure Python: seconds for 20 MiB, so computed once)."""
    return slow_generated_sha256(seed, size)


def build_world(work):
    m = Manifest(seed=11)
    m.account(ALICE, first_name="Alice")
    chan = m.channel(username="hostile", title="Hostile", members=[ALICE])
    add(chan, id=1, text="small", document=generate(SMALL[1], seed=SMALL[0], name="small.bin"))
    add(chan, id=2, text="big", document=generate(BIG[1], seed=BIG[0], name="big.bin"))
    for msg_id, name in HOSTILE_NAMES.items():
        add(chan, id=msg_id, text=f"name {msg_id}", document=generate(1000 + msg_id, seed=msg_id, name=name))
    return m.write(work)


def with_world(tgget, testdc, body, hostile=(), extra_args=()):
    work = tempfile.mkdtemp(prefix="tgget-hostile-")
    try:
        manifest = build_world(work)
        args = [a for name in hostile for a in ("--hostile-file", name)] + list(extra_args)
        with TestDC(testdc, manifest=manifest, extra_args=args) as dc:
            cli = Cli(tgget, dc, work)
            cli.login()
            body(cli, dc, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def get_files(dc, result=None):
    lines = [f for f in dc.rpc_lines() if len(f) > 7 and f[4] == "upload.getFile"]
    return [f for f in lines if result is None or f[7] == result]


def hostile_answers(dc, name):
    return [f for f in get_files(dc) if len(f) > 8 and f"hostile {name}" in f[8]]


def job_status(cli):
    code, out, err = cli.run("--json", "status")
    check(code == 0, f"status: exit {code}: {err}")
    return [json.loads(line) for line in out.splitlines()]


def download_right(cli, dc, out, link, seed_size, *extra):
    events, err = cli.json("download", link, "-o", out, *extra)
    done = of_type(events, "done")
    check(len(done) == 1, f"{events}")
    want = generated_sha256(*seed_size)
    check(done[0]["sha256"] == want and sha256_file(out) == want, "the file differs from the source (SHA-256)")
    check(not os.path.exists(out + ".part"), "the .part is left")
    return done[0]


def failed_cleanly(cli, out, code, err, expect_code, *words):
    """A clear error, the table's exit code, no file in place, the .part kept at the file's size."""
    check(code == expect_code, f"exit {code}, expected {expect_code}: {err}")
    for word in words:
        check(word in err, f"{word!r} not in the error: {err}")
    check("Traceback" not in err and "tgget: " in err, err)
    check(not os.path.exists(out), "a file was put in place")
    check(os.path.exists(out + ".part"), "the .part is gone")
    check(os.path.getsize(out + ".part") == SMALL[1], "the .part is not the file's size (written past its end?)")
    jobs = job_status(cli)
    check(len(jobs) == 1 and jobs[0]["state"] == "failed" and words[0] in jobs[0]["error"], f"job state: {jobs}")


def case_long_answer(tgget, testdc):
    # Once per range: every part's first answer has 4096 bytes more (the last one's past the end).
    def once(cli, dc, work):
        out = os.path.join(work, "long.bin")
        done = download_right(cli, dc, out, "t.me/hostile/1", SMALL)
        check(len(hostile_answers(dc, "long-answer")) >= 13, "not every part got a long answer")
        check(done["retries"] >= 13, f"long answers not refetched: {done}")
    with_world(tgget, testdc, once, hostile=("long-answer",))

    def always(cli, dc, work):
        out = os.path.join(work, "long.bin")
        code, _, err = cli.run("download", "t.me/hostile/1", "-o", out)
        failed_cleanly(cli, out, code, err, 1, "LONG_PART", "wrong size")
        # Resumed against the same server: the same clean failure, nothing else.
        code, _, err = cli.run("resume")
        failed_cleanly(cli, out, code, err, 1, "LONG_PART")
    with_world(tgget, testdc, always, hostile=("long-answer-always",))


def case_short_answer(tgget, testdc):
    # Half a part in the middle of the file (what Telegram's clients take for the end): the size is
    # known, so it is a truncation: refetched, never counted.
    def once(cli, dc, work):
        out = os.path.join(work, "short.bin")
        done = download_right(cli, dc, out, "t.me/hostile/1", SMALL)
        check(len(hostile_answers(dc, "short-answer")) == 12, "not every full part got a short answer")
        check(done["retries"] >= 12, f"short answers not refetched: {done}")
    with_world(tgget, testdc, once, hostile=("short-answer",))

    def always(cli, dc, work):
        out = os.path.join(work, "short.bin")
        code, _, err = cli.run("download", "t.me/hostile/1", "-o", out)
        failed_cleanly(cli, out, code, err, 1, "SHORT_PART", "wrong size")
    with_world(tgget, testdc, always, hostile=("short-answer-always",))


def case_unstable_bytes(tgget, testdc):
    # The first answer of every range has flipped bytes, getFileHashes tells the truth: the hash
    # check catches each one. With --no-verify nothing can tell the bytes are wrong: they stay.
    def verified(cli, dc, work):
        out = os.path.join(work, "unstable.bin")
        done = download_right(cli, dc, out, "t.me/hostile/1", SMALL)
        # Each part's first answer is caught (unless a watchdog re-send's right answer came first).
        check(done["verified"] and done["hash_mismatches"] + done["reissued"] >= 13, f"report: {done}")
        check(len(hostile_answers(dc, "unstable-bytes")) >= 13, "not every range was unstable")
    with_world(tgget, testdc, verified, hostile=("unstable-bytes",))

    def unverified(cli, dc, work):
        out = os.path.join(work, "unverified.bin")
        events, _ = cli.json("download", "t.me/hostile/1", "-o", out, "--no-verify")
        done = of_type(events, "done")
        check(len(done) == 1 and done[0]["verified"] is False, f"{events}")
        check(sha256_file(out) != generated_sha256(*SMALL), "--no-verify: the unstable bytes did not show")
        check(dc.count("upload.getFileHashes") == 0, "hashes asked with --no-verify")
    with_world(tgget, testdc, unverified, hostile=("unstable-bytes",))

    # Two switches at once (the flag repeats): each first answer is both flipped and too long.
    def both(cli, dc, work):
        download_right(cli, dc, os.path.join(work, "both.bin"), "t.me/hostile/1", SMALL)
        both = [f for f in hostile_answers(dc, "unstable-bytes") if "hostile long-answer" in f[8]]
        check(len(both) >= 13, f"{len(both)} answers spoilt both ways")
    with_world(tgget, testdc, both, hostile=("unstable-bytes", "long-answer"))


def changed_document(tgget, testdc, hostile, v2):
    # After two getFile calls the document changes; its old references expire. The refetched
    # message shows another file: tgget stops it (FILE_CHANGED, exit 75: run again) and never
    # mixes the two versions; `tgget resume` starts the new one from zero and finishes it.
    def body(cli, dc, work):
        out = os.path.join(work, "changing.bin")
        code, _, err = cli.run("download", "t.me/hostile/1", "-o", out)
        check(code == 75, f"exit {code}, expected 75: {err}")
        check("FILE_CHANGED" in err and "changed on the server" in err, f"no clear error: {err}")
        check(not os.path.exists(out), "a file was put in place")
        check(len([f for f in get_files(dc) if len(f) > 8 and f[8] == "hostile document changed"]) == 1, "no change")
        code, _, err = cli.run("--json", "resume")
        check(code == 0, f"resume: exit {code}: {err}")
        want = generated_sha256(*v2)
        check(sha256_file(out) == want, "the resumed file is not version 2 (SHA-256): the versions were mixed")
        check(not os.path.exists(out + ".part"), "the .part is left")
        code, _, err = cli.run("resume")
        check(code == 0 and "nothing to resume" in err, f"a second resume: exit {code}: {err}")
    with_world(tgget, testdc, body, hostile=(hostile,))


def case_document_changes(tgget, testdc):
    changed_document(tgget, testdc, "document-changes", (SMALL[0] ^ SEED_FLIP, SMALL[1] + SIZE_CHANGE))


def case_document_id_changes(tgget, testdc):
    changed_document(tgget, testdc, "document-id-changes", (SMALL[0] ^ SEED_FLIP, SMALL[1]))


def case_hostile_names(tgget, testdc):
    # Names that are paths, with NUL, 4 KiB long, only dots and slashes, absolute with "..": each
    # lands inside -d as one name of at most 255 bytes, no control character, not hidden.
    def body(cli, dc, work):
        out = os.path.join(work, "d")
        os.makedirs(out)
        first, last = min(HOSTILE_NAMES), max(HOSTILE_NAMES)
        events, _ = cli.json("download", f"t.me/hostile/{first}-{last}", "-d", out, "--name", "{filename}")
        done = of_type(events, "done")
        check(len(done) == len(HOSTILE_NAMES), f"{len(done)} done: {events}")
        for e in done:
            real = os.path.realpath(e["path"])
            check(os.path.dirname(real) == os.path.realpath(out), f"{real} is not directly in {out}")
        names = os.listdir(out)
        check(len(names) == len(HOSTILE_NAMES), f"{names}")
        for name in names:
            check(len(name.encode()) <= 255, f"a {len(name.encode())}-byte name")
            check(not any(ord(c) < 0x20 or ord(c) == 0x7F for c in name), f"control characters in {name!r}")
            check(not name.startswith("."), f"a hidden file {name!r}")
        check(any(n.endswith(".bashrc") for n in names), f"{names}")
        check(any(n.endswith(".bin") and len(n.encode()) > 240 for n in names), f"the long name lost its end: {names}")
        for escaped in (os.path.join(work, ".bashrc"), os.path.join(os.path.dirname(work), ".bashrc"),
                        os.path.join(work, "etc"), os.path.join(out, ".hidden")):
            check(not os.path.exists(escaped), f"{escaped} was written")
        for root, dirs, _files in os.walk(work):
            check(not [d for d in dirs if d not in ("d", "home") and root == work], f"a directory appeared: {dirs}")
    with_world(tgget, testdc, body)


def case_disk_full(tgget, testdc):
    # 20 MiB: interrupted after a part (SIGINT: the parts received are synced and saved), resumed under a 12 MiB
    # file-size limit, which fails every write past 12 MiB mid-download (EFBIG; SIGXFSZ must not
    # kill tgget): exit 8 with a clear message, the .part and every part written before kept.
    # Then resumed without the limit: right SHA-256, and no durable part fetched again.
    def body(cli, dc, work):
        out = os.path.join(work, "big.bin")
        p = subprocess.Popen(cli.args("--json", "download", "t.me/hostile/2", "-o", out), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=CLEAN_ENV)
        # What tgget says it has is the synchronisation: a part received, then interrupted.
        for line in p.stdout:
            event = json.loads(line)
            if event["type"] == "progress" and event["bytes_done"] >= MiB:
                break
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=120)
        check(p.returncode in (0, 130), f"interrupted: exit {p.returncode}: {err}")
        if p.returncode == 0:
            raise Fail("the download finished before the interrupt")
        before = job_status(cli)[0]["bytes_done"]
        check(before > 0, "nothing durable after the interrupt")

        limit = 12 * MiB
        cap = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # noqa: E731
        code, _, err = cli.run("resume", preexec_fn=cap)
        check(code == 8, f"file-size limit mid-download: exit {code} (killed by SIGXFSZ when -25): {err}")
        check("FILE_TOO_LARGE" in err and "file too large" in err, f"no clear message: {err}")
        check(os.path.getsize(out + ".part") == BIG[1] and not os.path.exists(out), "the .part was not kept")
        job = job_status(cli)[0]
        check(job["state"] == "failed" and "FILE_TOO_LARGE" in job["error"], f"job: {job}")
        durable = job["bytes_done"]
        check(before <= durable <= limit, f"durable parts were lost: {before} then {durable}")

        served_before = len(get_files(dc, "ok"))
        events, _ = cli.json("resume")
        done = of_type(events, "done")
        check(len(done) == 1 and done[0]["sha256"] == generated_sha256(*BIG), f"{events}")
        check(sha256_file(out) == generated_sha256(*BIG), "the resumed file differs (SHA-256)")
        check(done[0]["resumed_bytes"] == durable, f"resumed from {done[0]['resumed_bytes']}, durable {durable}")
        # 1 MiB parts: only the ones not durable are fetched (plus any the watchdog re-sent).
        missing = (BIG[1] - durable + MiB - 1) // MiB
        fetched = len(get_files(dc, "ok")) - served_before
        check(missing <= fetched <= missing + done[0]["reissued"], f"{fetched} parts fetched, {missing} missing")
    with_world(tgget, testdc, body, extra_args=("--bandwidth-per-connection", "4000000"))


def case_disk_full_tmpfs(tgget, testdc):
    # A real full disk (root only: an 8 MiB tmpfs, always unmounted): the 20 MiB .part cannot be
    # preallocated, so it shows at the start, before a byte is fetched: exit 8, "disk full", the
    # space given back. With the disk back (unmounted: the directory below), resume finishes.
    if os.geteuid() != 0:
        print("SKIP disk_full_tmpfs: needs root to mount a tmpfs")
        sys.exit(SKIP)

    def body(cli, dc, work):
        mnt = os.path.join(work, "small-disk")
        os.makedirs(mnt)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt], capture_output=True)
        if mounted.returncode != 0:
            print(f"SKIP disk_full_tmpfs: mount refused: {mounted.stderr!r}")
            sys.exit(SKIP)
        out = os.path.join(mnt, "big.bin")
        try:
            served = len(get_files(dc, "ok"))
            code, _, err = cli.run("download", "t.me/hostile/2", "-o", out)
            check(code == 8 and "DISK_FULL" in err and "disk full" in err, f"a full disk: exit {code}: {err}")
            check(not os.path.exists(out), "a file was put in place")
            check(len(get_files(dc, "ok")) == served, "parts were fetched for a file that cannot fit")
            free = os.statvfs(mnt)
            check(free.f_bfree * free.f_frsize >= 7 * MiB, "the failed preallocation kept the disk full")
            job = job_status(cli)[0]
            check(job["state"] == "failed" and "DISK_FULL" in job["error"], f"job: {job}")
        finally:
            subprocess.run(["umount", mnt], check=True)
        code, _, err = cli.run("resume")
        check(code == 0, f"resume on a disk with room: exit {code}: {err}")
        check(sha256_file(out) == generated_sha256(*BIG), "the resumed file differs (SHA-256)")
    with_world(tgget, testdc, body)


SKIP = 77  # CTest's SKIP_RETURN_CODE for these cases


if __name__ == "__main__":
    run(globals())
