#!/usr/bin/env python3
"""tgget download's command line end to end (issue 10): every link form, ranges and whole chats,
albums, comments, topics, -i lists, names from hostile servers, the archive, --new, -o -, --exec,
status/forget and the exit codes, against a fresh tgget-testdc per case (ephemeral ports, a
generated world: every byte checked against what the server generates from its seed).

Usage: cli_batch_test.py --tgget PATH --testdc PATH --case NAME
"""
import hashlib
import json
import os
import pty
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from testdc_fixture import TestDC  # noqa: E402
from testdc_world import Manifest, add, generate, generated_sha256, same_as  # noqa: E402
from cli_support import CLEAN_ENV, Fail, check, run, sha256_file, wait_for  # noqa: E402

MiB = 1 << 20
ALICE = "15550000001"
SECRET_ID = 1000000555  # a private channel: no username, Alice is a member
GROUP_ID = 1000000900   # @news's discussion group
HOSTILE = {5: "../../x", 6: "/etc/passwd", 7: "a\x01b\x1b[31m\x7f\nc.txt", 8: "\u00e9" * 148 + ".bin",
           9: "...", 10: "x$(touch PWNED);`touch PWNED2`.bin", 11: None}
DOCS = {}  # (chat, message id) -> (seed, size)
JSON_TYPES = {"start", "progress", "wait", "retry", "done", "skipped", "error", "summary", "planned"}


def doc(chat, msg_id, size, seed, **kw):
    DOCS[(chat, msg_id)] = (seed, size)
    return generate(size, seed=seed, **kw)


def build_world(work):
    m = Manifest(seed=7)
    m.account(ALICE, first_name="Alice")
    history = m.channel(username="history", title="History", members=[ALICE])
    for i in range(1, 251):  # a document every 25 messages: three getHistory pages
        extra = {"document": doc("history", i, 1000 + i, i, name=f"h{i}.bin")} if i % 25 == 0 else {}
        add(history, text=f"m{i}", **extra)
    files = m.channel(username="files", title="Files", members=[ALICE])
    add(files, text="shared", document=doc("files", 1, 200000, 5, name="shared.bin", key="shared"))
    add(files, text="album", grouped_id=4242, document=doc("files", 2, 3000, 21, name="a.jpg", mime="image/jpeg"))
    add(files, grouped_id=4242, document=doc("files", 3, 3001, 22, name="b.jpg", mime="image/jpeg"))
    add(files, text="again", document=same_as("shared"))  # 4: the same document posted again
    DOCS[("files", 4)] = DOCS[("files", 1)]
    for msg_id, name in HOSTILE.items():
        add(files, id=msg_id, text=f"hostile {msg_id}",
            document=doc("files", msg_id, 1024 + msg_id, 100 + msg_id, name=name, no_name=name is None,
                         mime="image/png" if name is None else "application/octet-stream"))
    add(files, id=12, text="big", document=doc("files", 12, 5 * MiB + 321, 12, name="big.bin", dc=4))
    add(files, id=13, text="no file here")
    forum = m.channel(username="forum", title="Forum", forum=True, members=[ALICE])
    add(forum, text="general")
    topic = Manifest.topic(forum, "Alpha")                                            # topic 2
    add(topic, text="in the topic", document=doc("forum", 3, 7000, 31, name="topic.bin"))  # 3
    news = m.channel(username="news_chan", title="News", members=[ALICE], linked_chat=GROUP_ID)
    m.channel(id=GROUP_ID, title="News chat", megagroup=True, members=[ALICE])
    # The group: 1 is post 1's copy, 2 and 3 its comments.
    add(news, text="post", comments=[{"text": "first"},
                                     {"text": "a file", "document": doc("group", 3, 70000, 71, name="comment.bin")}])
    secret = m.channel(id=SECRET_ID, title="Secret", members=[ALICE])
    add(secret, text="hidden")
    add(secret, text="hidden file", document=doc("secret", 2, 4096, 33, name="s.bin"))
    add(secret, text="repost", document=same_as("shared"))  # 3: re-posted in another chat
    DOCS[("secret", 3)] = DOCS[("files", 1)]
    return m.write(work)


def sha(chat, msg_id):
    seed, size = DOCS[(chat, msg_id)]
    return generated_sha256(seed, size)




def json_events(stdout):
    """Every --json line parses, has a known type, and the last one is the summary."""
    events = []
    for line in stdout.splitlines():
        e = json.loads(line)
        check(e.get("type") in JSON_TYPES, f"unknown JSON line {line!r}")
        events.append(e)
    check(events and events[-1]["type"] == "summary", f"no summary at the end: {stdout!r}")
    return events


def of_type(events, kind):
    return [e for e in events if e["type"] == kind]


class Cli:
    def __init__(self, tgget, dc, work):
        self.tgget, self.dc, self.work = tgget, dc, work
        self.home = os.path.join(work, "home")

    def args(self, *args):
        return [self.tgget, "--env-file", self.dc.env_path, "--home", self.home, *args]

    def run(self, *args, cwd=None, stdin=None, timeout=120, preexec_fn=None):
        p = subprocess.run(self.args(*args), input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                           capture_output=True, text=stdin is None or isinstance(stdin, str), env=CLEAN_ENV,
                           timeout=timeout, cwd=cwd or self.work, preexec_fn=preexec_fn)
        return p.returncode, p.stdout, p.stderr

    def json(self, *args, expect=0, **kw):
        code, out, err = self.run("--json", *args, **kw)
        check(code == expect, f"{' '.join(args)}: exit {code}, expected {expect}: {err}")
        return json_events(out), err

    def login(self):
        code, _, err = self.run("login", "--phone", ALICE, "--code", "12345")
        check(code == 0, f"login exit {code}: {err}")


def get_files(dc):
    return [f for f in dc.rpc_lines() if len(f) > 7 and f[4] == "upload.getFile" and f[7] == "ok"]


def with_world(tgget, testdc, body, extra_args=(), login=True):
    work = tempfile.mkdtemp(prefix="tgget-batch-")
    try:
        manifest = build_world(work)
        with TestDC(testdc, manifest=manifest, control=True, extra_args=extra_args) as dc:
            cli = Cli(tgget, dc, work)
            if login:
                cli.login()
            body(cli, dc, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_done(events, expected, directory=None):
    """expected: {(chat, id)}; each done once, with the source's SHA-256, inside `directory`."""
    done = of_type(events, "done")
    check(len(done) == len(expected), f"{len(done)} files done, {len(expected)} expected: {done}")
    shas = sorted(sha(*k) for k in expected)
    check(sorted(e["sha256"] for e in done) == shas, f"reported SHA-256s differ: {done}")
    for e in done:
        check(sha256_file(e["path"]) == e["sha256"], f"{e['path']} is not what was reported")
        if directory:
            real = os.path.realpath(e["path"])
            check(real.startswith(os.path.realpath(directory) + os.sep), f"{real} outside {directory}")
    return done


def case_link_forms(tgget, testdc):
    forms = [
        ("t.me/files/1", ("files", 1)),
        ("https://t.me/s/files/1", ("files", 1)),
        ("files.t.me/1", ("files", 1)),
        ("http://telegram.me/files/12", ("files", 12)),
        ("telegram.dog/files/2?single", ("files", 2)),
        ("tg://resolve?domain=files&post=3", ("files", 3)),
        (f"https://t.me/c/{SECRET_ID}/2", ("secret", 2)),
        (f"tg://privatepost?channel={SECRET_ID}&post=2", ("secret", 2)),
        ("t.me/forum/2/3", ("forum", 3)),
        ("https://t.me/news_chan/1?comment=3", ("group", 3)),
        ("@files", None),  # a whole chat: checked by the dry-run count below
    ]

    def body(cli, dc, work):
        for n, (link, key) in enumerate(forms):
            if key is None:
                events, _ = cli.json("download", link, "--dry-run", "-d", os.path.join(work, "dry"))
                planned = of_type(events, "planned")
                check(len(planned) == 12, f"{link}: {len(planned)} files planned")
                check(not os.path.exists(os.path.join(work, "dry")), "--dry-run wrote something")
                continue
            out = os.path.join(work, f"form{n}.bin")
            events, err = cli.json("download", link, "-o", out, "--no-archive")
            check_done(events, [key])
            check(sha256_file(out) == sha(*key), f"{link}: wrong bytes")
        check(dc.count("contacts.resolveUsername") <= 6 * 2, "chats resolved over and over")
    with_world(tgget, testdc, body)


def case_ranges(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "r")
        events, _ = cli.json("download", "t.me/history/20-60", "-d", out)
        check_done(events, [("history", 25), ("history", 50)], out)
        check(sorted(os.listdir(out)) == ["history_25_h25.bin", "history_50_h50.bin"], os.listdir(out))
        events, _ = cli.json("download", "t.me/history/200-", "-d", out)
        check_done(events, [("history", 200), ("history", 225), ("history", 250)], out)
        # The whole chat: 10 files, 5 already there (the archive), the newest 2 of the rest by --last.
        before = len(get_files(dc))
        events, _ = cli.json("download", "t.me/history", "-d", out, "--last", "2")
        check(len(of_type(events, "done")) == 0 and len(get_files(dc)) == before, "--last 2: fetched again")
        events, _ = cli.json("download", "t.me/history", "-d", out, "--max-downloads", "2")
        check_done(events, [("history", 75), ("history", 100)], out)
        events, _ = cli.json("download", "t.me/history", "-d", out)
        check_done(events, [("history", i) for i in (125, 150, 175)], out)
        check(len(os.listdir(out)) == 10, os.listdir(out))
        # Filters: by size and by name.
        events, _ = cli.json("download", "t.me/history", "--dry-run", "--min-size", "1200", "--match", r"h2\d\d")
        planned = sorted(e["size"] for e in of_type(events, "planned"))
        check(planned == [1200, 1225, 1250], f"filtered: {planned}")
    with_world(tgget, testdc, body)


def case_album(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "a")
        events, _ = cli.json("download", "t.me/files/3", "--album", "-d", out, "--name", "{album}/{filename}")
        check_done(events, [("files", 2), ("files", 3)], out)
        check(sorted(os.listdir(os.path.join(out, "4242"))) == ["a.jpg", "b.jpg"], os.listdir(out))
        # The message without a file: reported, exit 2 (it was named alone), nothing written.
        code, _, err = cli.run("download", "t.me/files/13", "-d", out)
        check(code == 2 and "message 13 of @files has no file" in err, f"exit {code}: {err}")
    with_world(tgget, testdc, body)


def case_input_list(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "l")
        listing = ("# my list\n\nt.me/files/1\n  out=renamed/one.bin\nnot a link at all\n"
                   "t.me/files/2?single\n\tout=two.jpg\nt.me/nosuchchannel_x/5\n")
        code, stdout, err = cli.run("--json", "download", "-i", "-", "-d", out, stdin=listing)
        check(code == 1, f"exit {code} (a bad line and an unknown channel must show): {err}")
        check("stdin:5:" in err, f"the bad line is not named by its number: {err}")
        events = json_events(stdout)
        check_done(events, [("files", 1), ("files", 2)], out)
        check(sha256_file(os.path.join(out, "renamed", "one.bin")) == sha("files", 1), "out= not honoured")
        check(os.path.exists(os.path.join(out, "two.jpg")), os.listdir(out))
        errors = of_type(events, "error")
        check(len(errors) == 1 and "nosuchchannel_x" in errors[0]["message"], f"errors: {errors}")
    with_world(tgget, testdc, body)


def case_hostile_names(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "h")
        events, _ = cli.json("download", "t.me/files/5-11", "-d", out, "--name", "{filename}")
        done = check_done(events, [("files", i) for i in HOSTILE], out)
        names = os.listdir(out)
        check(len(names) == len(HOSTILE), f"{names}")
        for name in names:
            check(len(name.encode()) <= 255, f"{len(name.encode())}-byte name")
            check(not any(ord(c) < 0x20 or ord(c) == 0x7f for c in name), f"control characters in {name!r}")
            check(name not in (".", "..") and not name.startswith("..."), f"a dot name {name!r}")
        check(any(n.endswith(".bin") and len(n.encode()) > 240 for n in names), f"the long name lost its extension {names}")
        check(not os.path.exists(os.path.join(work, "x")) and not os.path.exists(os.path.join(os.path.dirname(work), "x")),
              "../../x escaped the directory")
        check(any(n.endswith(".png") for n in names), f"no name from the mime type: {names}")
        # The same names again: never over another job's files, never outside.
        events, _ = cli.json("download", "t.me/files/5-6", "-d", out, "--name", "{filename}", "--no-archive")
        check(len(os.listdir(out)) == len(HOSTILE), "files of finished jobs were replaced or duplicated")
        del done
    with_world(tgget, testdc, body)


def case_archive(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "d")
        events, _ = cli.json("download", "t.me/files/1", "-d", out)
        check_done(events, [("files", 1)])
        fetched = len(get_files(dc))
        # The same document in another message and in another chat: linked, not fetched.
        events, _ = cli.json("download", "t.me/files/4", f"t.me/c/{SECRET_ID}/3", "-d", out)
        check(len(get_files(dc)) == fetched, "a document already downloaded was fetched again")
        done = of_type(events, "done")
        check(len(done) == 2 and all(e["sha256"] == sha("files", 1) for e in done), f"{events}")
        first = os.stat(os.path.join(out, "files_1_shared.bin"))
        check(os.stat(done[0]["path"]).st_ino == first.st_ino, "not hard-linked")
        # Deleted since: skipped as already downloaded; --no-archive fetches it again.
        for name in os.listdir(out):
            os.remove(os.path.join(out, name))
        events, _ = cli.json("download", "t.me/files/1", "-d", out)
        skipped = of_type(events, "skipped")
        check(len(skipped) == 1 and "already downloaded" in skipped[0]["why"] and not os.listdir(out), f"{events}")
        events, _ = cli.json("download", "t.me/files/1", "-d", out, "--no-archive")
        check_done(events, [("files", 1)], out)
        # Re-running the same command: idempotent.
        events, _ = cli.json("download", "t.me/files/1", "-d", out)
        check(len(of_type(events, "skipped")) == 1 and not of_type(events, "done"), f"{events}")
    with_world(tgget, testdc, body)


def case_new_twice(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "mirror")
        events, _ = cli.json("download", "t.me/history", "--new", "-d", out)
        check_done(events, [("history", 25 * k) for k in range(1, 11)], out)
        first = len(get_files(dc))
        posted = [dc.post("@history", text="new", size=2000 + k, seed=500 + k, name=f"new{k}.bin") for k in range(2)]
        dc.post("@history", text="no file")
        ids = [int(a["id"]) for a in posted]
        events, _ = cli.json("download", "t.me/history", "--new", "-d", out)
        done = of_type(events, "done")
        check(len(done) == 2, f"the second --new run: {events}")
        check(sorted(e["sha256"] for e in done) == sorted(generated_sha256(500 + k, 2000 + k) for k in range(2)), "bytes")
        check(len(get_files(dc)) == first + 2, "the second --new run fetched old files")
        names = set(os.listdir(out))
        check(len(names) == 12 and {f"history_{i}_new{k}.bin" for k, i in enumerate(ids)} <= names, names)
    with_world(tgget, testdc, body)


def case_stream_stdout(tgget, testdc):
    def body(cli, dc, work):
        p = subprocess.run(cli.args("download", "t.me/files/12", "-o", "-", "--progress", "none"), capture_output=True,
                           env=CLEAN_ENV, timeout=120, stdin=subprocess.DEVNULL)
        check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
        check(hashlib.sha256(p.stdout).hexdigest() == sha("files", 12), f"{len(p.stdout)} bytes, wrong")
        check(not os.listdir(os.path.join(cli.home, "streams")), "the stream's scratch file stayed")
        # Piped into sha256sum, as the README says.
        sh = subprocess.run(" ".join(map(repr, cli.args("download", "t.me/files/12", "-o", "-"))) + " | sha256sum",
                            shell=True, capture_output=True, text=True, env=CLEAN_ENV, timeout=120)
        check(sh.stdout.split()[0] == sha("files", 12), f"| sha256sum: {sh.stdout} {sh.stderr}")
    with_world(tgget, testdc, body)


def case_exec_hostile(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "e")
        record = os.path.join(work, "record.txt")
        hook = os.path.join(work, "hook.py")
        with open(hook, "w") as f:
            f.write("import os, sys\nwith open(%r, 'a') as f:\n"
                    "    f.write(repr((sys.argv[1], os.environ['TGGET_MESSAGE_ID'], os.environ['TGGET_SHA256'])) + '\\n')\n"
                    % record)
        events, _ = cli.json("download", "t.me/files/10", "t.me/files/7", "-d", out, "--name", "{filename}",
                             "--exec", f"{sys.executable} {hook}", cwd=out if os.path.isdir(out) else work)
        check_done(events, [("files", 10), ("files", 7)], out)
        with open(record) as f:
            calls = [eval(line) for line in f]  # noqa: S307 - our own repr() lines
        check(len(calls) == 2, f"{calls}")
        for path, msg, digest in calls:
            check(os.path.exists(path) and sha256_file(path) == digest, f"the hook got {path!r}")
        check(not any(os.path.exists(os.path.join(d, n)) for d in (work, out) for n in ("PWNED", "PWNED2")),
              "the file name was run by a shell")
    with_world(tgget, testdc, body)


def case_status_forget(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "s")
        cli.json("download", "t.me/files/1", "t.me/files/2", "-d", out)
        code, stdout, err = cli.run("--json", "status")
        check(code == 0, f"status exit {code}: {err}")
        jobs = [json.loads(line) for line in stdout.splitlines()]
        check(len(jobs) == 2 and all(j["state"] == "done" and j["bytes_done"] == j["size"] for j in jobs), f"{jobs}")
        check({j["sha256"] for j in jobs} == {sha("files", 1), sha("files", 2)}, "status SHA-256s")
        code, _, err = cli.run("forget", "--finished")
        check(code == 0, f"forget exit {code}: {err}")
        code, stdout, _ = cli.run("--json", "status")
        check(code == 0 and stdout == "", f"after forget: {stdout!r}")
        check(len(os.listdir(out)) == 2, "forget removed files")
    with_world(tgget, testdc, body)


def case_exit_codes(tgget, testdc):
    def body(cli, dc, work):
        code, _, err = cli.run("download", "t.me/files/1")
        check(code == 3 and "tgget login" in err, f"not logged in: exit {code}: {err}")
        cli.login()
        code, _, err = cli.run("download", "t.me/nosuchchannel_x/1")
        check(code == 2 and "nosuchchannel_x" in err, f"unknown channel: exit {code}: {err}")
        code, _, err = cli.run("download", "t.me/files/0x")
        check(code == 2, f"malformed link: exit {code}: {err}")
        # The disk full (a 1 MiB file-size limit): exit 8, the state kept for a resume.
        limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (MiB, MiB))  # noqa: E731
        code, _, err = cli.run("download", "t.me/files/12", "-d", os.path.join(work, "full"), preexec_fn=limit)
        check(code == 8, f"file-size limit: exit {code}: {err}")
        code, _, err = cli.run("resume")
        check(code == 0, f"resume after the disk full: exit {code}: {err}")
        check(sha256_file(os.path.join(work, "full", "files_12_big.bin")) == sha("files", 12), "resumed file")
        dc.stop()
        code, _, err = cli.run("download", "t.me/files/2", timeout=180)
        check(code == 75, f"network down: exit {code}: {err}")
    with_world(tgget, testdc, body, login=False)


def case_flood_max_wait(tgget, testdc):
    def body(cli, dc, work):
        code, _, err = cli.run("download", "t.me/history", "-d", os.path.join(work, "f"), "--max-wait", "2")
        check(code == 75 and "wait" in err, f"a long FLOOD_WAIT with --max-wait 2: exit {code}: {err}")
        check(any(f[7].startswith("FLOOD_WAIT_") for f in dc.rpc_lines() if len(f) > 7), "no FLOOD_WAIT was caused")
    with_world(tgget, testdc, body, extra_args=("--flood-rps", "10", "--flood-wait", "600"))


def case_live_display(tgget, testdc):
    def body(cli, dc, work):
        out = os.path.join(work, "p")
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(tgget, cli.args("download", "t.me/files/12", "t.me/files/1", "-d", out), CLEAN_ENV)
        chunks = []
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        _, status = os.waitpid(pid, 0)
        text = b"".join(chunks).decode(errors="replace")
        check(os.waitstatus_to_exitcode(status) == 0, f"exit {status}: {text[-2000:]}")
        check("\x1b[" in text and "%" in text, f"no live display on a terminal: {text[-2000:]!r}")
        check(re.search(r"2 (files )?done|done: 2|2 files", text), f"no summary: {text[-1000:]!r}")
        # The same without a terminal: no control characters at all.
        code, _, err = cli.run("download", "t.me/files/2", "-d", out)
        check(code == 0 and not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", err), f"control characters: {err!r}")
    with_world(tgget, testdc, body)


def case_interrupted(tgget, testdc):
    # SIGTERM and SIGINT in the middle of a paced download (256 KiB/s: 20 s for the file): exit 143
    # and 130, the parts on disk kept (the saved plan counts them), and `tgget resume` finishes right.
    def body(cli, dc, work):
        out = os.path.join(work, "i")
        durable = 0  # bytes the saved plan counts
        for sig, expected in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
            p = subprocess.Popen(cli.args("download", "t.me/files/12", "-d", out, "--limit-rate", "256K"),
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=CLEAN_ENV)
            def progressed():
                nonlocal durable
                code, stdout, _ = cli.run("--json", "status")
                jobs = [json.loads(line) for line in stdout.splitlines()] if code == 0 else []
                now = max((j["bytes_done"] for j in jobs if j["state"] != "done"), default=0)
                if now > durable:  # this run saved parts of its own: it is well under way
                    durable = now
                    return True
                return p.poll() is not None
            wait_for(progressed, "durable parts")
            if p.poll() is not None:  # (not in check()'s message: communicate() would wait for the end)
                raise Fail(f"the download ended before the signal: {p.communicate()}")
            p.send_signal(sig)
            _, err = p.communicate(timeout=60)
            check(p.returncode == expected, f"{sig!r}: exit {p.returncode}, expected {expected}: {err}")
            check("tgget resume" in err, f"no hint to resume: {err}")
            check(os.path.exists(os.path.join(out, "files_12_big.bin.part")), "the .part is gone")
        code, _, err = cli.run("resume")
        check(code == 0, f"resume: exit {code}: {err}")
        check(sha256_file(os.path.join(out, "files_12_big.bin")) == sha("files", 12), "the resumed file differs")
    with_world(tgget, testdc, body)


if __name__ == "__main__":
    run(globals())
