#!/usr/bin/env python3
"""GramJS 2.26.22 (npm telegram, layer 198, as it ships) against a fresh tgget-testdc.

The second client nobody on this project wrote, beside Telethon (layer 144): the project's own
driver (gramjs/driver.js) logs in by code, resolves @tgdemo and downloads a document stored on the
home DC and one stored on DC 4 (GramJS's own export/import of the authorization), over the full
transport or the obfuscated one. This harness starts one server per case, runs the driver, and
checks the files byte for byte (SHA-256) and the server's RPC log call by call.

Usage: gramjs_interop.py --testdc PATH --node PATH --case NAME
"""
import argparse
import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from testdc_fixture import TestDC  # noqa: E402

GRAMJS_DIR = os.path.join(HERE, "gramjs")
DRIVER = os.path.join(GRAMJS_DIR, "driver.js")
GRAMJS_VERSION = "2.26.22"
GRAMJS_LAYER = 198

PHONE = "15550000001"
CODE = "12345"
BAD_CODE = "54321"
HOME_DC = 2
FOREIGN_DC = 4
CHANNEL = "tgdemo"
PART = 128 * 1024  # GramJS's part size for files under 100 MB
# (message id, file name, size, seed, DC): sizes not a multiple of the part size on purpose.
FILES = {
    "home": (1, "home.bin", 3 * 1024 * 1024 + 4321, 11, HOME_DC),
    "foreign": (2, "clip.mp4", 2 * 1024 * 1024 + 12345, 12, FOREIGN_DC),
}
DRIVER_TIMEOUT_S = 150

# What each case runs: transport, which files it downloads, and its own extra steps.
CASES = {
    "login_code": {"transport": "full", "files": [], "bad_code": True},
    "download_home_dc": {"transport": "full", "files": ["home"]},
    "download_foreign_dc": {"transport": "full", "files": ["foreign"]},
    "obfuscated": {"transport": "obfuscated", "files": ["home", "foreign"]},
    # The server completes a handshake whose key GramJS then throws away (as its 1-in-256 bug
    # does); the driver's retry must get a working key on the same connection.
    "handshake_retry": {"transport": "full", "files": [], "abandon_first_handshake": True},
    # Layer 198's channels.getForumTopics / ByID, served as layer 228's messages.getForumTopics*.
    "forum_topics": {"transport": "full", "files": [], "forum": True},
}
FORUM = "forum_chat"  # messages: 1 general, 2 topic Alpha, 3-4 in it, 5 topic Beta, 6 in it
TRANSPORT_CLASS = {"full": "ConnectionTCPFull", "obfuscated": "ConnectionTCPObfuscated"}


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def write_file(path, size, seed):
    rng = random.Random(seed)
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        left = size
        while left:
            chunk = rng.randbytes(min(left, 1 << 20))
            f.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make_world(workdir):
    hashes = {}
    messages = []
    for name, (msg_id, file_name, size, seed, dc) in FILES.items():
        path = os.path.join(workdir, file_name)
        hashes[name] = write_file(path, size, seed)
        document = {"file": path, "dc": dc, "file_name": file_name}
        if file_name.endswith(".mp4"):
            document.update({"mime_type": "video/mp4", "video": {"duration": 2, "w": 640, "h": 360}})
        messages.append({"id": msg_id, "text": f"{name} file", "document": document})
    manifest = {
        "home_dc": HOME_DC,
        "dcs": [{"id": 1}, {"id": HOME_DC, "media": True}, {"id": FOREIGN_DC}],
        "accounts": [{"phone": PHONE, "code": CODE, "first_name": "Interop", "username": "gramjs_user"}],
        "channels": [{"username": CHANNEL, "title": "tgget demo", "messages": messages},
                     {"username": FORUM, "title": "Forum", "forum": True, "messages": [{"text": "general"}],
                      "topics": [{"title": "Alpha", "messages": [{"text": "a1"}, {"text": "a2"}]},
                                 {"title": "Beta", "messages": [{"text": "b1"}]}]}],
    }
    path = os.path.join(workdir, "world.json")
    with open(path, "w") as f:
        json.dump(manifest, f)
    return path, hashes


def check_gramjs_installed():
    package = os.path.join(GRAMJS_DIR, "node_modules", "telegram", "package.json")
    if not os.path.exists(package):
        raise SystemExit(f"GramJS is not installed in {GRAMJS_DIR}: run tools/setup")
    with open(package) as f:
        version = json.load(f)["version"]
    if version != GRAMJS_VERSION:
        raise SystemExit(f"GramJS {version} installed, {GRAMJS_VERSION} expected: run tools/setup")


def run_driver(node, dc, spec, workdir):
    report_path = os.path.join(workdir, "report.json")
    args = [node, DRIVER, "--server", f"{dc.host}:{dc.port}", "--dc", str(dc.dc),
            "--key", dc.env["TGGET_SERVER_KEY"], "--api-id", dc.env["TGGET_API_ID"],
            "--api-hash", dc.env["TGGET_API_HASH"], "--phone", PHONE, "--code", CODE,
            "--channel", CHANNEL, "--transport", spec["transport"], "--timeout-s", str(DRIVER_TIMEOUT_S),
            "--report", report_path]
    if spec.get("bad_code"):
        args += ["--bad-code", BAD_CODE]
    if spec.get("abandon_first_handshake"):
        args.append("--abandon-first-handshake")
    if spec.get("forum"):
        args += ["--forum", FORUM]
    for name in spec["files"]:
        args += ["--download", f"{FILES[name][0]}={os.path.join(workdir, 'download-' + name)}"]
    # The driver has its own watchdog; this one only guards against a driver that cannot stop.
    proc = subprocess.run(args, cwd=GRAMJS_DIR, stdin=subprocess.DEVNULL, timeout=DRIVER_TIMEOUT_S + 30)
    report = {}
    if os.path.exists(report_path):
        with open(report_path) as f:
            report = json.load(f)
    if proc.returncode != 0 or report.get("step") != "done":
        error = report.get("error", "no report").splitlines()[0]
        raise AssertionError(f"the GramJS driver failed (exit {proc.returncode}) at step {report.get('step')!r}: {error}")
    return report


class RpcLog:
    """The server's RPC log: time, dc=N, conn=N, key=HEX, method, in=N, out=N, result."""

    def __init__(self, dc):
        self.lines = []
        for fields in dc.rpc_lines():
            if len(fields) >= 8:
                self.lines.append({"dc": int(fields[1].removeprefix("dc=")), "conn": fields[2].removeprefix("conn="),
                                   "key": fields[3].removeprefix("key="), "method": fields[4], "result": fields[7],
                                   "detail": fields[8] if len(fields) > 8 else ""})

    def select(self, method, dc=None, result=None):
        return [line for line in self.lines if line["method"] == method and (dc is None or line["dc"] == dc)
                and (result is None or line["result"] == result)]

    def count(self, method, dc=None, result=None):
        return len(self.select(method, dc, result))

    def describe(self):
        return "\n".join(f"  dc={x['dc']} conn={x['conn']} key={x['key']} {x['method']} {x['result']} {x['detail']}"
                         for x in self.lines)


def check_login(report, rpc, spec):
    user = report.get("user", {})
    check(user.get("phone") == PHONE and user.get("firstName") == "Interop" and user.get("self"),
          f"users.getUsers(inputUserSelf) returned {user}")
    check(user.get("username") == "gramjs_user", f"username {user.get('username')!r}")
    check(user.get("id") == user.get("signInUserId"), "auth.signIn and users.getUsers name different users")
    check(rpc.count("auth.signIn", HOME_DC, "ok") == 1, "expected exactly one successful auth.signIn")
    bad = rpc.count("auth.signIn", HOME_DC, "PHONE_CODE_INVALID")
    if spec.get("bad_code"):
        check(report.get("badCodeError") == "PHONE_CODE_INVALID" and bad == 1,
              f"a wrong code must be refused with PHONE_CODE_INVALID once (driver saw {report.get('badCodeError')!r}, "
              f"server logged {bad})")
        check(rpc.count("auth.sendCode", HOME_DC, "ok") == 2, "expected two auth.sendCode (wrong code, then right)")
    else:
        check(bad == 0 and rpc.count("auth.sendCode", HOME_DC, "ok") == 1, "expected one auth.sendCode")
    check(rpc.count("users.getUsers", HOME_DC, "ok") >= 1, "no successful users.getUsers")
    channel = report.get("channel", {})
    check(channel.get("title") == "tgget demo" and channel.get("username") == CHANNEL, f"resolved {channel}")
    resolved = 2 if spec.get("forum") else 1  # the forum is resolved too
    check(rpc.count("contacts.resolveUsername", HOME_DC, "ok") == resolved, f"expected {resolved} contacts.resolveUsername")


def check_handshakes(report, rpc, spec):
    shakes = report.get("handshakes", {})
    completed, retried, abandoned = (shakes.get(k, 0) for k in ("completed", "retried", "abandoned"))
    # The server completes every attempt, also those GramJS then rejects and retries (abandoned ones
    # included): its own 1-in-256 failure is on its side, after the server's dh_gen_ok.
    done = rpc.select("handshake", result="ok")
    check(len(done) == completed + retried, f"the server completed {len(done)} handshakes, the driver {shakes}")
    dcs_used = {HOME_DC} | {FILES[name][4] for name in spec["files"]}
    check(completed == len(dcs_used), f"one key per DC used ({sorted(dcs_used)}) expected, the driver {shakes}")
    check(abandoned == (1 if spec.get("abandon_first_handshake") else 0) and retried >= abandoned,
          f"handshakes abandoned on purpose: {shakes}")
    if spec.get("abandon_first_handshake"):
        first, second = done[0]["key"], done[-1]["key"]
        check(first != second, "the retried handshake did not make a new key")
        signed_in = rpc.select("auth.signIn", HOME_DC, "ok")[0]["key"]
        check(signed_in == second, f"signed in with key {signed_in}, not the retried handshake's {second}")
        check(all(line["key"] != first for line in rpc.lines if line["method"] != "handshake"),
              "a request used the abandoned key")


def check_download(name, report, rpc, hashes, workdir):
    msg_id, file_name, size, _, dc = FILES[name]
    got = [d for d in report.get("downloads", []) if d["msgId"] == msg_id]
    check(len(got) == 1, f"message {msg_id} was not downloaded")
    check(got[0]["dcId"] == dc and got[0]["fileName"] == file_name and int(got[0]["documentSize"]) == size,
          f"document of message {msg_id}: {got[0]}")
    path = os.path.join(workdir, "download-" + name)
    check(os.path.getsize(path) == size, f"{name}: {os.path.getsize(path)} bytes downloaded, {size} expected")
    check(sha256_of(path) == hashes[name], f"{name}: the downloaded file differs from the source (SHA-256)")
    parts = math.ceil(size / PART)
    check(rpc.count("upload.getFile", dc, "ok") == parts,
          f"{name}: {rpc.count('upload.getFile', dc, 'ok')} parts served by DC {dc}, {parts} expected")


def check_rpc_log(spec, rpc):
    foreign = "foreign" in spec["files"]
    exports = rpc.count("auth.exportAuthorization", HOME_DC, "ok")
    imports = rpc.count("auth.importAuthorization", FOREIGN_DC, "ok")
    migrates = rpc.count("upload.getFile", HOME_DC, f"FILE_MIGRATE_{FOREIGN_DC}")
    if foreign:
        check(exports == 1, f"{exports} auth.exportAuthorization for the file on DC {FOREIGN_DC}, 1 expected")
        check(imports == 1, f"{imports} auth.importAuthorization on DC {FOREIGN_DC}, 1 expected")
        check(migrates == 1, f"{migrates} FILE_MIGRATE_{FOREIGN_DC} answers, 1 expected")
    else:
        check(exports == 0 and imports == 0 and migrates == 0, "authorization exported without a foreign file")
    check(rpc.count("auth.exportAuthorization") == exports and rpc.count("auth.importAuthorization") == imports,
          "an export/import failed or went to the wrong DC")
    undecoded = [line for line in rpc.lines if line["method"].startswith("unknown")]
    check(not undecoded, f"the server could not decode {len(undecoded)} request(s) of layer {GRAMJS_LAYER}")


def check_forum(report, rpc):
    forum = report.get("forum", {})
    check(forum.get("forum") is True, f"the forum flag: {forum}")
    topics = [(t["id"], t["title"], t["topMessage"]) for t in forum.get("topics", [])]
    check(topics == [(5, "Beta", 6), (2, "Alpha", 4), (1, "General", 1)] and forum.get("count") == 3, f"topics {topics}")
    check(forum.get("byId") == ["ForumTopic:5", "ForumTopicDeleted:999"], f"by id {forum.get('byId')}")
    check(forum.get("replies") == [{"id": 6, "topic": True}, {"id": 5, "topic": False}], f"replies {forum.get('replies')}")
    check(rpc.count("messages.getForumTopics", HOME_DC, "ok") == 1, "channels.getForumTopics served once")
    check(rpc.count("messages.getForumTopicsByID", HOME_DC, "ok") == 1, "channels.getForumTopicsByID served once")


def run_case(args, spec, workdir):
    manifest, hashes = make_world(workdir)
    with TestDC(args.testdc, manifest=manifest) as dc:
        try:
            report = run_driver(args.node, dc, spec, workdir)
            code = dc.stop()
            check(code == 0, f"tgget-testdc exited with {code}")
            rpc = RpcLog(dc)
            check(report.get("gramjs") == GRAMJS_VERSION and report.get("layer") == GRAMJS_LAYER,
                  f"driver ran GramJS {report.get('gramjs')} layer {report.get('layer')}")
            used = set(report.get("transports", {}).values())
            check(used == {TRANSPORT_CLASS[spec["transport"]]}, f"transports used: {report.get('transports')}")
            check_login(report, rpc, spec)
            check_handshakes(report, rpc, spec)
            for name in spec["files"]:
                check_download(name, report, rpc, hashes, workdir)
            check_rpc_log(spec, rpc)
            if spec.get("forum"):
                check_forum(report, rpc)
        except AssertionError:
            print(f"RPC log:\n{RpcLog(dc).describe()}", file=sys.stderr)
            raise


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--testdc", required=True)
    parser.add_argument("--node", required=True)
    parser.add_argument("--case", required=True, choices=sorted(CASES))
    args = parser.parse_args()
    if not shutil.which(args.node):
        raise SystemExit(f"node not found ({args.node!r}): run tools/setup")
    check_gramjs_installed()
    workdir = tempfile.mkdtemp(prefix="tgget-gramjs-")
    try:
        run_case(args, CASES[args.case], workdir)
        print(f"gramjs interop {args.case}: 1 passed, 0 failed")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
