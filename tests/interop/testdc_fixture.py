"""Starts a tgget-testdc for one test and stops it afterwards.

The server prints "READY" on stdout once every port listens and the env file is written, so the
fixture waits on that line instead of sleeping. Each fixture uses ephemeral ports, so tests can run
in parallel. On exit the server gets SIGTERM and its summary (calls per method and error) is read.
"""
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse


class TestDC:
    def __init__(self, binary, *, serve_dir=None, manifest=None, sample_world=False, control=False, extra_args=(),
                 ready_timeout=30):
        self.workdir = tempfile.mkdtemp(prefix="tgget-testdc-")
        self.env_path = os.path.join(self.workdir, "testdc.env")
        self.log_path = os.path.join(self.workdir, "rpc.log")
        self.summary_path = os.path.join(self.workdir, "summary.txt")
        args = [binary, "--port-base", "0", "--write-env", self.env_path, "--log", self.log_path,
                "--state-dir", self.workdir, "--summary", self.summary_path]
        if serve_dir:
            args += ["--serve-dir", serve_dir]
        if manifest:
            args += ["--manifest", manifest]
        if sample_world:
            args += ["--sample-world"]
        if control:  # the control port (--control-port), on an ephemeral port named in the env file
            args += ["--control-port", "0"]
        self._control = None
        args += list(extra_args)
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=None, text=True)
        self._wait_ready(ready_timeout)
        self.env = self._read_env()

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        line = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.strip() == "READY":
                return
        self.stop()
        raise RuntimeError(f"tgget-testdc did not become ready (last line: {line!r})")

    def _read_env(self):
        env = {}
        with open(self.env_path) as f:
            for raw in f:
                raw = raw.strip()
                if raw and not raw.startswith("#") and "=" in raw:
                    key, value = raw.split("=", 1)
                    env[key] = value
        return env

    @property
    def host(self):
        return self.env["TGGET_SERVER"].rsplit(":", 1)[0]

    @property
    def port(self):
        return int(self.env["TGGET_SERVER"].rsplit(":", 1)[1])

    @property
    def dc(self):
        return int(self.env["TGGET_SERVER_DC"])

    def public_key_pem(self):
        with open(self.env["TGGET_SERVER_KEY"]) as f:
            return f.read()

    def rpc_lines(self):
        with open(self.log_path) as f:
            return [line.rstrip("\n").split("\t") for line in f if line.strip()]

    def count(self, method):
        return sum(1 for fields in self.rpc_lines() if len(fields) > 4 and fields[4] == method)

    def control(self, line):
        """Sends one control-port command line and returns the server's answer line."""
        if self._control is None:
            host, port = self.env["TGGET_TESTDC_CONTROL"].rsplit(":", 1)
            sock = socket.create_connection((host, int(port)), timeout=30)
            self._control = (sock, sock.makefile("rb"))
        sock, reader = self._control
        sock.sendall(line.encode() + b"\n")
        return reader.readline().decode().rstrip("\n")

    def post(self, chat, **fields):
        """Posts a message with the control port ('post CHAT key=value...'; values %-encoded here)
        and returns the answer's fields ({"id": "17", "document_id": ...}). Raises on 'error'."""
        words = [f"{key}={urllib.parse.quote(str(value), safe='')}" for key, value in fields.items()]
        answer = self.control(" ".join(["post", chat] + words))
        if not answer.startswith("ok"):
            raise RuntimeError(f"control post failed: {answer}")
        return dict(word.split("=", 1) for word in answer.split()[1:])

    def stop(self):
        if self._control is not None:
            self._control[1].close()
            self._control[0].close()
            self._control = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        # Everything the server wrote (key, env file, logs) lived here; nothing is left behind.
        shutil.rmtree(self.workdir, ignore_errors=True)
