#!/usr/bin/env python3
"""The tgget binary's account commands against a fresh tgget-testdc, the way scripts use them:
no terminal (stdin is /dev/null), settings from --env-file, exit codes and output checked.

Usage: cli_account_test.py --tgget PATH --testdc PATH --case NAME
"""
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from testdc_fixture import TestDC  # noqa: E402
from cli_support import CLEAN_ENV, Fail, check, run  # noqa: E402,F401

MANIFEST = {
    "dcs": [{"id": 1}, {"id": 2, "media": True}, {"id": 4}],
    "accounts": [
        {"phone": "15550000001", "code": "12345", "username": "alice_user", "first_name": "Alice"},
        {"phone": "15550000002", "code": "22222", "password": "hunter2", "first_name": "Bob"},
        {"phone": "15550000003", "code": "33333", "home_dc": 4, "first_name": "Carol"},
    ],
    "bots": [{"token": "100001:TESTBOT", "username": "tgget_bot"},
             {"token": "200002:DC4BOT", "username": "dc4_bot", "home_dc": 4}],
    "channels": [{"username": "TgDemo", "title": "Demo", "messages": [{"text": "hello"}]}],
}



class Cli:
    def __init__(self, tgget, dc, home):
        self.tgget, self.dc, self.home = tgget, dc, home

    def run(self, *args, env=None, timeout=60):
        cmd = [self.tgget, "--env-file", self.dc.env_path, "--home", self.home, *args]
        full_env = dict(CLEAN_ENV, **(env or {}))
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=full_env, timeout=timeout)
        return p.returncode, p.stdout, p.stderr


def with_server(tgget, testdc, body, extra_args=()):
    work = tempfile.mkdtemp(prefix="tgget-cli-")
    try:
        manifest = os.path.join(work, "world.json")
        with open(manifest, "w") as f:
            json.dump(MANIFEST, f)
        # tgget's own tests run the server --strict, and every run must leave no deviation in the
        # log: tgget never does what Telegram merely tolerates.
        with TestDC(testdc, manifest=manifest, extra_args=("--strict", *extra_args)) as dc:
            body(Cli(tgget, dc, os.path.join(work, "home")), dc)
            deviations = [f for f in dc.rpc_lines() if len(f) > 4 and f[4] == "deviation"]
            check(not deviations, f"tgget committed deviations: {deviations}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def case_login_code(tgget, testdc):
    def body(cli, dc):
        code, out, err = cli.run("login", "--phone", "15550000001", "--code", "12345")
        check(code == 0, f"login exit {code}: {err}")
        check("id: " in out and "@alice_user" in out and "home_dc: 2" in out, f"login output: {out!r}")
        handshakes = dc.count("handshake")
        check(handshakes == 1, f"{handshakes} handshakes for one login")
        db = os.path.join(cli.home, "accounts", "default.sqlite")
        mode = stat.S_IMODE(os.stat(db).st_mode)
        check(mode == 0o600, f"session database mode {oct(mode)}")
        # A restart (a new process) reuses the key: no handshake, no getConfig.
        for _ in range(2):
            code, out, err = cli.run("--json", "whoami")
            check(code == 0, f"whoami exit {code}: {err}")
            me = json.loads(out)
            check(me["username"] == "alice_user" and me["home_dc"] == 2 and me["first_name"] == "Alice", f"whoami: {me}")
        check(dc.count("handshake") == handshakes, "a restarted tgget made a new auth key")
        check(dc.count("help.getConfig") == 1, "dc_options were not cached")
    with_server(tgget, testdc, body)


def case_login_2fa(tgget, testdc):
    def body(cli, dc):
        # No terminal and no password: a clear error, exit 2, nothing logged in.
        code, out, err = cli.run("login", "--phone", "15550000002", "--code", "22222")
        check(code == 2, f"exit {code} without a password: {err}")
        check("--password or TGGET_PASSWORD" in err, f"error names the flag: {err!r}")
        code, out, err = cli.run("login", "--phone", "15550000002", "--code", "22222", env={"TGGET_PASSWORD": "hunter2"})
        check(code == 0, f"2FA login exit {code}: {err}")
        check("hunter2" not in out + err, "the password was printed")
        code, out, err = cli.run("--json", "whoami")
        check(code == 0 and json.loads(out)["first_name"] == "Bob", f"whoami after 2FA: {code} {out} {err}")
    with_server(tgget, testdc, body)


def case_login_bot(tgget, testdc):
    def body(cli, dc):
        code, out, err = cli.run("login", "--bot-token", "1:WRONG")
        check(code == 2, f"wrong token exit {code}: {err}")
        check("ACCESS_TOKEN_INVALID" in err, err)
        code, out, err = cli.run("--json", "login", "--bot-token", "100001:TESTBOT")
        check(code == 0, f"bot login exit {code}: {err}")
        me = json.loads(out)
        check(me["bot"] is True and me["username"] == "tgget_bot", f"bot: {me}")
    with_server(tgget, testdc, body)


def case_bot_migrate(tgget, testdc):
    def body(cli, dc):
        code, out, err = cli.run("--json", "login", "--bot-token", "200002:DC4BOT")
        check(code == 0, f"bot login exit {code}: {err}")
        me = json.loads(out)
        check(me["home_dc"] == 4 and me["username"] == "dc4_bot", f"USER_MIGRATE not followed: {me}")
        check(dc.count("auth.importBotAuthorization") == 2, "expected USER_MIGRATE_4 then success")
    with_server(tgget, testdc, body)


def case_transports(tgget, testdc):
    def body(cli, dc):
        for i, env in enumerate([{"TGGET_TRANSPORT": "abridged"}, {"TGGET_TRANSPORT": "padded", "TGGET_OBFUSCATE": "1"},
                                 {"TGGET_TRANSPORT": "intermediate", "TGGET_OBFUSCATE": "1"}, {"TGGET_TRANSPORT": "full"}]):
            code, out, err = cli.run("--account", f"t{i}", "--json", "login", "--phone", "15550000001", "--code", "12345",
                                     env=env)
            check(code == 0, f"login over {env}: exit {code}: {err}")
            code, out, err = cli.run("--account", f"t{i}", "--json", "whoami", env=env)
            check(code == 0 and json.loads(out)["username"] == "alice_user", f"whoami over {env}: {code} {err}")
        code, out, err = cli.run("whoami", env={"TGGET_TRANSPORT": "carrier-pigeon"})
        check(code == 2 and "TGGET_TRANSPORT" in err, f"unknown transport: {code} {err}")
    with_server(tgget, testdc, body)


def case_migrate(tgget, testdc):
    def body(cli, dc):
        code, out, err = cli.run("--json", "login", "--phone", "15550000003", "--code", "33333")
        check(code == 0, f"login exit {code}: {err}")
        check(json.loads(out)["home_dc"] == 4, out)
        code, out, err = cli.run("--json", "whoami")
        check(code == 0 and json.loads(out)["home_dc"] == 4, f"{code} {out} {err}")
    with_server(tgget, testdc, body)


def case_no_terminal(tgget, testdc):
    def body(cli, dc):
        code, out, err = cli.run("login", "--phone", "15550000001")
        check(code == 2, f"exit {code} without a code: {err}")
        check("--code or TGGET_CODE" in err, err)
        code, out, err = cli.run("login")
        check(code == 2 and "--phone or TGGET_PHONE" in err, f"{code} {err}")
        code, out, err = cli.run("login", "--phone", "15550000001", "--code", "99999")
        check(code == 2 and "PHONE_CODE_INVALID" in err, f"wrong code: {code} {err}")
        code, out, err = cli.run("whoami")
        check(code == 3, f"whoami before login: exit {code} {err}")
        check("tgget login" in err, err)
    with_server(tgget, testdc, body)


def case_logout(tgget, testdc):
    def body(cli, dc):
        code, out, err = cli.run("login", "--phone", "15550000001", "--code", "12345")
        check(code == 0, err)
        code, out, err = cli.run("logout")
        check(code == 0 and "logged out" in err, f"logout: {code} {err}")
        check(dc.count("auth.logOut") == 1, "no auth.logOut reached the server")
        code, out, err = cli.run("whoami")
        check(code == 3, f"whoami after logout: exit {code}")
    with_server(tgget, testdc, body)


def case_bad_server(tgget, testdc):
    def body(cli, dc):
        code, out, err = cli.run("login", "--phone", "15550000001", "--code", "12345")
        check(code == 6, f"exit {code} for a bad DH prime: {err}")
        check("security" in err, err)
    with_server(tgget, testdc, body, extra_args=("--handshake-fault", "bad-dh-prime"))


def case_settings(tgget, testdc):
    home = tempfile.mkdtemp(prefix="tgget-cli-")
    try:
        check_settings_without_server(tgget, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    # Nobody listens: a temporary failure (exit 75) in bounded time, not a hang.
    def body(cli, dc):
        closed_port = dc.port
        dc.stop()
        code, out, err = cli.run("login", "--phone", "15550000001", "--code", "12345", timeout=60)
        check(code == 75, f"exit {code} with the server gone (port {closed_port}): {err}")
    with_server(tgget, testdc, body)


def check_settings_without_server(tgget, home):
    env = dict(CLEAN_ENV, TGGET_HOME=home)
    p = subprocess.run([tgget, "whoami"], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=30)
    check(p.returncode == 2 and "TGGET_API_ID" in p.stderr, f"production without api_id: {p.returncode} {p.stderr}")
    p = subprocess.run([tgget, "--server", "127.0.0.1:notaport", "whoami"], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, env=env, timeout=30)
    check(p.returncode == 2 and "TGGET_SERVER" in p.stderr, f"bad --server: {p.returncode} {p.stderr}")
    p = subprocess.run([tgget, "frobnicate"], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=30)
    check(p.returncode == 2, f"unknown command: {p.returncode}")


if __name__ == "__main__":
    run(globals())
