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


def free_port():
    """A port nobody listens on: bound once by us, then released."""
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_file_with(dc, path, **changes):
    """The server's env file with some settings changed."""
    values = dict(dc.env, **changes)
    with open(path, "w") as f:
        f.writelines(f"{k}={v}\n" for k, v in values.items())
    return path


def case_explicit_server(tgget, testdc):
    # After a login the account's store holds the server's dc_options. A TGGET_SERVER given after
    # that must still be used: pointed at a dead port, the command fails as a network error (75)
    # instead of quietly reaching the old address.
    def body(cli, dc):
        code, out, err = cli.run("login", "--phone", "15550000001", "--code", "12345")
        check(code == 0, f"login exit {code}: {err}")
        dead = f"127.0.0.1:{free_port()}"
        moved = env_file_with(dc, os.path.join(os.path.dirname(cli.home), "moved.env"), TGGET_SERVER=dead)
        calls_before = len(dc.rpc_lines())
        for args, how in ((["--env-file", moved], "TGGET_SERVER in --env-file"),
                          (["--env-file", dc.env_path, "--server", dead], "--server"),):
            p = subprocess.run([cli.tgget, *args, "--home", cli.home, "whoami"], stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, env=CLEAN_ENV, timeout=60)
            check(p.returncode == 75, f"{how} at a dead port: exit {p.returncode}, {p.stdout} {p.stderr}")
        env = dict(CLEAN_ENV, TGGET_SERVER=dead, TGGET_SERVER_KEY=dc.env["TGGET_SERVER_KEY"],
                   TGGET_SERVER_DC=dc.env["TGGET_SERVER_DC"])
        p = subprocess.run([cli.tgget, "--home", cli.home, "whoami"], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, env=env, timeout=60)
        check(p.returncode == 75, f"TGGET_SERVER in the environment: exit {p.returncode}, {p.stderr}")
        check(len(dc.rpc_lines()) == calls_before, "a command reached the old address")
        # The real address again: the account works (nothing learned was damaged).
        code, out, err = cli.run("--json", "whoami")
        check(code == 0 and json.loads(out)["username"] == "alice_user", f"whoami back home: {code} {err}")
    with_server(tgget, testdc, body)


def case_config_files(tgget, testdc):
    # No --env-file: the settings come from ./.env and $XDG_CONFIG_HOME/tgget/config, the
    # environment beats .env, which beats the config file; tgget never writes either.
    def body(cli, dc):
        work = os.path.dirname(cli.home)
        cwd = os.path.join(work, "cwd")
        xdg = os.path.join(work, "xdg")
        os.makedirs(cwd)
        os.makedirs(os.path.join(xdg, "tgget"))
        config = env_file_with(dc, os.path.join(xdg, "tgget", "config"), TGGET_ACCOUNT="from-config",
                               TGGET_TRANSPORT="carrier-pigeon")
        dotenv = os.path.join(cwd, ".env")
        with open(dotenv, "w") as f:
            f.write("# another tool's settings may be here too\nSOMETHING ELSE\nTGGET_TRANSPORT=abridged\n")
        before = {p: open(p).read() for p in (config, dotenv)}
        env = dict(CLEAN_ENV, XDG_CONFIG_HOME=xdg, TGGET_HOME=cli.home)
        run = lambda *args, extra={}: subprocess.run([cli.tgget, *args], cwd=cwd, stdin=subprocess.DEVNULL,
                                                     capture_output=True, text=True, env=dict(env, **extra), timeout=60)
        p = run("--json", "login", "--phone", "15550000001", "--code", "12345")
        check(p.returncode == 0, f"login from the implicit files: {p.returncode} {p.stderr}")
        check(os.path.exists(os.path.join(cli.home, "accounts", "from-config.sqlite")), "TGGET_ACCOUNT of the config file unused")
        p = run("whoami", extra={"TGGET_TRANSPORT": "carrier-pigeon"})
        check(p.returncode == 2 and "TGGET_TRANSPORT" in p.stderr, f"the environment should beat .env: {p.returncode} {p.stderr}")
        p = run("-v", "--json", "whoami")
        check(p.returncode == 0, f"whoami: {p.returncode} {p.stderr}")
        check('setting name=TGGET_TRANSPORT from=.env' in p.stderr, f"-v names where settings came from: {p.stderr}")
        check('name=TGGET_ACCOUNT from="the config file"' in p.stderr, p.stderr)
        check(before == {p: open(p).read() for p in (config, dotenv)}, "tgget rewrote a settings file")
    with_server(tgget, testdc, body)


def case_no_secrets_in_log(tgget, testdc):
    # A login with a 2FA password at -vv into a log file, then whoami and a failed login: the log
    # has lines (the RPC errors of the flow among them) and none of the secrets.
    def body(cli, dc):
        log = os.path.join(os.path.dirname(cli.home), "tgget.log")
        api_hash = "0123456789abcdef0123456789abcdef"
        env = {"TGGET_API_ID": "12345", "TGGET_API_HASH": api_hash, "TGGET_PASSWORD": "hunter2"}
        code, out, err = cli.run("-vv", "--log-file", log, "login", "--phone", "15550000002", "--code", "22222", env=env)
        check(code == 0, f"2FA login: {code} {err}")
        code, out, err = cli.run("-vv", "--log-file", log, "login", "--phone", "15550000001", "--code", "99999",
                                 "--password", "wrong-horse-battery", env=env)
        check(code == 2, f"wrong code: {code} {err}")
        code, out, err = cli.run("-vv", "--log-file", log, "whoami", env=env)
        check(code == 0, f"whoami: {code} {err}")
        mode = stat.S_IMODE(os.stat(log).st_mode)
        check(mode == 0o600, f"log file mode {oct(mode)}")
        text = open(log).read()
        check("mtproto.rpc_error" in text and "SESSION_PASSWORD_NEEDED" in text, f"the flow's RPC errors are logged: {text}")
        check("PHONE_CODE_INVALID" in text and "logged_in" in text, text)
        check("api_hash=<redacted>" in text, "the client_config line at -vv")
        import sqlite3
        db = sqlite3.connect(os.path.join(cli.home, "accounts", "default.sqlite"))
        tables = [t for t, in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        blobs = [cell for t in tables for row in db.execute(f"SELECT * FROM {t}") for cell in row
                 if isinstance(cell, bytes)]
        db.close()
        keys = [b for b in blobs if len(b) == 256]
        check(keys, "no auth key found in the account database")
        secrets = ["hunter2", "22222", "99999", "wrong-horse-battery", api_hash]
        secrets += [k.hex() for k in keys] + [k.hex()[i:i + 16] for k in keys for i in range(0, 512, 128)]
        for secret in secrets:
            check(secret.lower() not in text.lower(), f"a secret is in the log: {secret[:6]}...")
        check("hunter2" not in out + err, "the password was printed")
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
