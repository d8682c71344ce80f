#!/usr/bin/env python3
"""The fault matrix: tgget downloads the same 64 MiB file from a fresh tgget-testdc (--strict) under
each of the test DC's conditions alone, under every pair of them, and under none (the baseline).
Each run checks the exit code, the SHA-256, that no .part is left, that tgget committed no
deviation, that the time spent is at least 0.9 x the row's floor (the condition really slowed it:
the floor is what a perfect client with two download connections needs), that it is not a hang
(at most 10 x floor + 60 s), and, where the server's RPC log can show it, that every condition of
the row fired at least once (a condition silently switched off fails here, not in a benchmark).
Speed targets live in tools/bench, not here: the bounds are loose on purpose.

One table row per run (condition, elapsed, floor, ratio) is printed for ctest -V. The rows are
split into shards (--shard K/N) balanced by their expected cost, so CTest runs them in parallel.

Usage: cli_fault_matrix_test.py --tgget PATH --testdc PATH [--shard K/N] [--only NAME] [--list]
"""
import argparse
import itertools
import json
import math
import os
import contextlib
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from testdc_fixture import TestDC  # noqa: E402
from cli_support import CLEAN_ENV, Fail, check, sha256_file  # noqa: E402

MiB = 1 << 20
SIZE = 64 * MiB
PARTS = SIZE // MiB      # upload.getFile answers at most 1 MiB
HASH_CALLS = SIZE // MiB  # upload.getFileHashes answers 8 windows of 128 KiB (tools/testdc/api_upload.cpp)
SESSIONS = 2             # download connections per DC: Telegram's apps and tgget (engine/dc_pool.hpp)
PHONE = "15550000001"
FLOOD_WAIT_S = 1
PREMIUM_WAIT_S = 1
STALL_BOUND_S = 4        # tgget's watchdog never calls an answer late before 4 s (engine/latency_watch.hpp)


# ---- the conditions: each is the parameters it adds to a row, and what in the RPC log shows it fired

def results(lines, prefix):
    return [f for f in lines if len(f) > 7 and f[7].startswith(prefix)]


def methods(lines, name):
    return [f for f in lines if len(f) > 4 and f[4] == name]


# A proof takes the server's RPC log lines, tgget's home and the row's parameters; it returns why
# the condition did not fire, or None (or Waived: it could not fire in this run).
def fired_result(prefix):
    return lambda lines, home, params: None if results(lines, prefix) else f"no {prefix} answer in the RPC log"


def fired_method(name):
    return lambda lines, home, params: None if methods(lines, name) else f"no '{name}' line in the RPC log"


def served_by_foreign_dc(lines, home, params):
    parts = [f for f in methods(lines, "upload.getFile") if f[7] == "ok"]
    dcs = {f[1] for f in parts}
    if dcs != {"dc=4"}:
        return f"parts served by {dcs}, not DC 4 alone"
    return None if methods(lines, "auth.exportAuthorization") else "no auth.exportAuthorization"


def skew_learnt(offset_s):
    # tgget learns the server's time in the handshake (server_time), so a skewed clock draws no
    # bad_msg_notification 16/17 the log could show; the offset tgget stored with its key shows it.
    def proof(lines, home, params):
        offsets = []
        for db in os.listdir(os.path.join(home, "accounts")):
            with contextlib.closing(sqlite3.connect(os.path.join(home, "accounts", db))) as c:
                offsets += [row[0] / 1e9 for row in c.execute("SELECT time_offset_ns FROM dc_keys")]
        if not offsets or any(abs(o - offset_s) > 60 for o in offsets):
            return f"tgget's stored time offsets {offsets} s are not the server's {offset_s} s"
        return None
    return proof


def busiest_second(entries):
    """The largest sum of weights within any one second of (time_ms, weight) entries."""
    entries = sorted(entries)
    best = total = 0
    first = 0
    for t, w in entries:
        total += w
        while entries[first][0] <= t - 1000:
            total -= entries[first][1]
            first += 1
        best = max(best, total)
    return best


def calls_per_key(lines):
    """Per auth key, the API calls the flood limit counted (the ones it refused are not counted)."""
    by_key = {}
    for f in lines:
        if len(f) > 7 and "." in f[4] and not f[7].startswith("FLOOD_WAIT_"):
            by_key.setdefault(f[3], []).append((int(f[0]), 1))
    return by_key


def limit_fired(prefix, key, peak_of, unit):
    """A limit (the row's parameter `key`) was answered with `prefix` at least once; or the log
    shows the client never passed it (a slow build may not: the proof is then waived, and the table
    says so). Passing it clearly (by 25%: the log has the answers' times, not the arrivals') without
    one refusal fails: the limit is switched off."""
    def proof(lines, home, params):
        if results(lines, prefix):
            return None
        peak, limit = peak_of(lines), params[key]
        if peak > 1.25 * limit:
            return f"{peak / unit[0]:.0f} {unit[1]} in one second passed the limit {limit / unit[0]:.0f} and no {prefix}"
        return Waived(f"not reached: at most {peak / unit[0]:.0f} {unit[1]} in a second, the limit is "
                      f"{limit / unit[0]:.0f}")
    return proof


class Waived(str):
    """A proof's answer: the condition could not fire in this run (why), so it is not asked to."""


class Condition:
    def __init__(self, name, params, proof=None, why=""):
        self.name, self.params, self.proof, self.why = name, params, proof, why


CONDITIONS = [
    Condition("resets", {"reset_every_bytes": 16 * MiB}, fired_method("reset"),
              "every connection closed after 16 MiB sent"),
    Condition("stall", {"stall_after_bytes": 8 * MiB}, fired_method("stall"),
              "the first connection to send 8 MiB goes silent (socket open)"),
    Condition("latency", {"latency_ms": 20}, None, "20 ms before every answer"),
    Condition("bw_connection", {"connection_bps": 32 * MiB}, None, "32 MiB/s per connection"),
    Condition("bw_account", {"account_bps": 64 * MiB}, None, "64 MiB/s for the account"),
    Condition("flood_wait", {"flood_rps": 40},
              limit_fired("FLOOD_WAIT_", "flood_rps",
                          lambda lines: max([busiest_second(c) for c in calls_per_key(lines).values()] or [0]),
                          (1, "calls")),
              f"past 40 calls a second per key: FLOOD_WAIT_{FLOOD_WAIT_S}"),
    Condition("premium_parallel", {"premium_parallel_limit": 1}, fired_result("FLOOD_PREMIUM_WAIT_"),
              "a free account downloads over one connection at a time"),
    Condition("premium_rate", {"premium_rate": 32 * MiB},
              limit_fired("FLOOD_PREMIUM_WAIT_", "premium_rate",
                          lambda lines: busiest_second([(int(f[0]), int(f[6][4:]))
                                                        for f in methods(lines, "upload.getFile") if f[7] == "ok"]),
                          (MiB, "MiB")),
              f"a free account past 32 MiB in a second: FLOOD_PREMIUM_WAIT_{PREMIUM_WAIT_S}"),
    Condition("errors_500", {"error_500_rate": 0.05}, fired_result("INTERNAL"), "5% of calls answered 500"),
    # A reference only expires during a download that outlives it: the account's speed is capped
    # so the download takes longer than the reference's second.
    Condition("reference_expiry", {"reference_lifetime_s": 1, "account_bps": 40 * MiB},
              fired_result("FILE_REFERENCE_EXPIRED"), "references live 1 s; 40 MiB/s for the account"),
    Condition("foreign_dc", {"file_dc": 4}, served_by_foreign_dc, "the file on DC 4, the account's home DC 2"),
    Condition("out_of_order", {"out_of_order": True}, None, "answers delayed 0-40 ms at random"),
    Condition("bad_salt", {"bad_salt": True}, fired_method("bad_server_salt"),
              "each session's first message refused with bad_server_salt"),
    Condition("clock_skew", {"clock_offset_s": 3600}, skew_learnt(3600), "the server's clock an hour ahead"),
]
BY_NAME = {c.name: c for c in CONDITIONS}


def merge(conditions):
    """The parameters of several conditions together: of two caps of one kind, the lower holds."""
    merged = {}
    for c in conditions:
        for key, value in c.params.items():
            if key in merged and key in ("connection_bps", "account_bps", "premium_rate", "flood_rps"):
                merged[key] = min(merged[key], value)
            else:
                merged[key] = value
    return merged


def flags(p):
    """The tgget-testdc switches for a row's parameters."""
    out = []
    if "reset_every_bytes" in p:
        out += ["--reset-every-bytes", str(p["reset_every_bytes"])]
    if "stall_after_bytes" in p:
        out += ["--stall-after-bytes", str(p["stall_after_bytes"]), "--stall-connections", "1"]
    if "latency_ms" in p:
        out += ["--latency-ms", str(p["latency_ms"])]
    if "connection_bps" in p:
        out += ["--bandwidth-per-connection", str(p["connection_bps"])]
    if "account_bps" in p:
        out += ["--bandwidth-per-account", str(p["account_bps"])]
    if "flood_rps" in p:
        out += ["--flood-rps", str(p["flood_rps"]), "--flood-wait", str(FLOOD_WAIT_S)]
    if "premium_parallel_limit" in p:
        out += ["--premium-parallel-limit", str(p["premium_parallel_limit"])]
    if "premium_rate" in p:
        out += ["--premium-rate-limit", str(p["premium_rate"]), "--premium-wait", str(PREMIUM_WAIT_S)]
    if "error_500_rate" in p:
        out += ["--rpc-error-500-rate", str(p["error_500_rate"])]
    if "reference_lifetime_s" in p:
        out += ["--file-reference-lifetime", str(p["reference_lifetime_s"])]
    if p.get("out_of_order"):
        out += ["--out-of-order"]
    if p.get("bad_salt"):
        out += ["--force-bad-salt"]
    if "clock_offset_s" in p:
        out += ["--clock-offset", str(p["clock_offset_s"])]
    return out


def floor_s(p):
    """Seconds a perfect client with SESSIONS download connections needs under the row's
    conditions: the largest of the lower bounds each condition sets (they hold together, so the
    largest holds). A perfect client knows no limit in advance: it learns each from its first
    refusal (one forced wait) and never draws it again. Resets, stalls, 500s, expired references,
    salts, skew, order and the DC cost it nothing measurable: 0."""
    connections = 1 if p.get("premium_parallel_limit") else SESSIONS
    bounds = [0.0]
    if "account_bps" in p:
        bounds.append(SIZE / p["account_bps"])
    if "connection_bps" in p:
        bounds.append(SIZE / (p["connection_bps"] * connections))
    if "premium_parallel_limit" in p:
        # SESSIONS connections at once draw the refusal once; it says wait at least a second.
        bounds.append(1.0)
    if "premium_rate" in p:
        # A sliding one-second window: the first second's allowance is free, the rest at the rate;
        # and the forced wait.
        bounds.append(max(PREMIUM_WAIT_S, max(0, SIZE - p["premium_rate"]) / p["premium_rate"]))
    if "flood_rps" in p:
        # Every call of a verifying client, at most flood_rps in any second (a sliding window).
        bounds.append(max(FLOOD_WAIT_S, (math.ceil((PARTS + HASH_CALLS) / p["flood_rps"]) - 1) * 1.0))
    if "latency_ms" in p:
        # contacts.resolveUsername, then channels.getMessages, then upload.getFile: one after another.
        bounds.append(3 * p["latency_ms"] / 1000)
    return max(bounds)


class Row:
    def __init__(self, conditions):
        self.conditions = conditions
        self.name = " + ".join(c.name for c in conditions) if conditions else "baseline"
        self.params = merge(conditions)
        self.flags = flags(self.params)
        self.floor = floor_s(self.params)
        self.file_dc = self.params.get("file_dc", 2)

    def expected_cost(self):
        """Seconds of wall time the row is expected to take, for balancing the shards."""
        cost = 1.5 + 1.2 * self.floor
        if "stall_after_bytes" in self.params:
            cost += STALL_BOUND_S
        if "premium_rate" in self.params or "flood_rps" in self.params:
            cost += 1.0
        return cost


def all_rows():
    rows = [Row(())]
    rows += [Row((c,)) for c in CONDITIONS]
    rows += [Row(pair) for pair in itertools.combinations(CONDITIONS, 2)]
    return rows


def shard_of(rows, k, n):
    """Rows of shard k (1-based) of n: longest first onto the least loaded shard (deterministic)."""
    loads = [0.0] * n
    shards = [[] for _ in range(n)]
    for row in sorted(rows, key=lambda r: (-r.expected_cost(), r.name)):
        i = min(range(n), key=lambda j: (loads[j], j))
        loads[i] += row.expected_cost()
        shards[i].append(row)
    return shards[k - 1]


# ---- one run

class Shared:
    """What the rows of one shard share: the file (on disk, served for both DCs), the world, the
    server's RSA key (made by the first server, reused by the others) and an empty layer directory:
    tgget speaks the built-in layer, and reading the 80 older schemas would cost each server ~2 s."""

    def __init__(self, work):
        self.work = work
        self.no_layers = os.path.join(work, "no-layers")
        os.makedirs(self.no_layers)
        self.source = os.path.join(work, "matrix.bin")
        with open(self.source, "wb") as f:
            f.write(random.Random(64).randbytes(SIZE))
        self.sha = sha256_file(self.source)
        self.key = os.path.join(work, "server_key.pem")
        self.manifest = os.path.join(work, "world.json")
        messages = [{"id": i, "text": f"on DC {dc}", "document": {"file": self.source, "dc": dc, "file_name": "matrix.bin"}}
                    for i, dc in ((1, 2), (2, 4))]
        with open(self.manifest, "w") as f:
            json.dump({"dcs": [{"id": 1}, {"id": 2, "media": True}, {"id": 4}], "home_dc": 2,
                       "accounts": [{"phone": PHONE, "code": "12345", "first_name": "Alice"}],
                       "channels": [{"username": "matrix", "title": "Matrix", "messages": messages}]}, f)


def tgget_args(tgget, dc, home, *args):
    return [tgget, "--env-file", dc.env_path, "--home", home, *args]


def run_tgget(args, timeout):
    try:
        p = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=CLEAN_ENV,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Fail(f"hang: {' '.join(args[5:])} still running after {timeout:.0f} s")
    return p.returncode, p.stdout, p.stderr


@contextlib.contextmanager
def stderr_to(path):
    """The server's stderr (inherited by the fixture's process) into a file, so the table stays
    readable; shown for failed rows only."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "w") as f:
        os.dup2(f.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def tail(path, n=15):
    with open(path, errors="replace") as f:
        return "".join(f.readlines()[-n:])


def run_row(tgget, testdc, shared, row, keep_logs=None):
    """Runs one row; returns (elapsed or None, failure or None, notes). With keep_logs, the
    server's RPC log and tgget's stderr of the row are copied there."""
    work = tempfile.mkdtemp(prefix="row-", dir=shared.work)
    server_err = os.path.join(work, "testdc.stderr")
    elapsed = None
    notes = []
    try:
        extra = ("--strict", "--key-file", shared.key, "--layers-dir", shared.no_layers, *row.flags)
        with stderr_to(server_err), TestDC(testdc, manifest=shared.manifest, extra_args=extra) as dc:
            home = os.path.join(work, "home")
            code, _, err = run_tgget(tgget_args(tgget, dc, home, "login", "--phone", PHONE, "--code", "12345"), 120)
            check(code == 0, f"login exit {code}: {err}")
            out = os.path.join(work, "out.bin")
            guard = 10 * row.floor + 60
            message = 2 if row.file_dc == 4 else 1
            started = time.monotonic()
            code, stdout, err = run_tgget(
                tgget_args(tgget, dc, home, "--json", "download", f"t.me/matrix/{message}", "-o", out), guard)
            elapsed = time.monotonic() - started
            check(code == 0, f"download exit {code}: {err.strip()[-2000:]}")
            check(os.path.exists(out), "the file is not in place")
            check(not os.path.exists(out + ".part"), "a .part is left")
            check(sha256_file(out) == shared.sha, "the downloaded file differs from the source (SHA-256)")
            done = [e for e in map(json.loads, stdout.splitlines()) if e.get("type") == "done"]
            check(len(done) == 1 and done[0]["sha256"] == shared.sha, f"the reported result: {stdout!r}")
            check(elapsed >= 0.9 * row.floor,
                  f"{elapsed:.2f} s is faster than 0.9 x the floor {row.floor:.2f} s: the condition did not apply")
            check(elapsed <= guard, f"{elapsed:.2f} s is past the hang guard {guard:.0f} s")
            lines = dc.rpc_lines()
            if keep_logs:
                stem = os.path.join(keep_logs, row.name.replace(" + ", "+"))
                shutil.copy(dc.log_path, stem + ".rpc.log")
                with open(stem + ".tgget.stderr", "w") as f:
                    f.write(err)
            deviations = methods(lines, "deviation")
            check(not deviations, f"tgget committed deviations: {deviations[:3]}")
            for c in row.conditions:
                why_not = c.proof(lines, home, row.params) if c.proof else None
                if isinstance(why_not, Waived):
                    notes.append(f"{c.name} {why_not}")
                else:
                    check(why_not is None, f"{c.name} did not fire: {why_not}")
            if not row.conditions:  # nothing may go wrong without conditions
                refused = [f for f in lines if len(f) > 7 and f[4].startswith(("upload.", "channels.", "contacts."))
                           and f[7] != "ok"]
                check(not refused, f"baseline calls refused: {refused[:3]}")
        return elapsed, None, notes
    except Fail as e:
        return elapsed, f"{e}\n  server's stderr (last lines):\n{tail(server_err)}", notes
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table_line(name, elapsed, floor, status):
    shown = f"{elapsed:7.2f}" if elapsed is not None else "      -"
    ratio = f"{elapsed / floor:6.2f}" if elapsed is not None and floor > 0 else "     -"
    return f"{name:<36} {shown} s  floor {floor:5.2f} s  ratio {ratio}  {status}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tgget", required=True)
    parser.add_argument("--testdc", required=True)
    parser.add_argument("--shard", default="1/1", help="K/N: the K-th of N shards")
    parser.add_argument("--only", action="append", default=[], help="run only the row of this name (repeatable)")
    parser.add_argument("--list", action="store_true", help="print the rows of the shard and exit")
    parser.add_argument("--keep-logs", metavar="DIR", help="keep each row's RPC log and tgget's stderr in DIR")
    args = parser.parse_args()
    k, n = (int(x) for x in args.shard.split("/"))
    rows = all_rows()
    if args.only:
        rows = [r for r in rows if r.name in args.only]
        if not rows:
            print(f"no row named {args.only}")
            return 2
    else:
        rows = shard_of(rows, k, n)
    if args.list:
        for r in rows:
            print(f"{r.name:<36} floor {r.floor:5.2f} s  {' '.join(r.flags)}")
        return 0

    work = tempfile.mkdtemp(prefix="tgget-matrix-")
    failures = []
    shard_started = time.monotonic()
    try:
        shared = Shared(work)
        print(f"shard {k}/{n}: {len(rows)} rows; load {os.getloadavg()[0]:.2f}", flush=True)
        print(f"{'condition':<36} {'elapsed':>9}  {'floor':>13}  {'ratio':>11}", flush=True)
        for row in rows:
            elapsed, failure, notes = run_row(args.tgget, args.testdc, shared, row, args.keep_logs)
            status = "ok" if failure is None else f"FAIL: {failure}"
            if notes:
                status += f" ({'; '.join(notes)})"
            print(table_line(row.name, elapsed, row.floor, status), flush=True)
            if failure is not None:
                failures.append((row.name, failure))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"shard {k}/{n}: {len(rows) - len(failures)}/{len(rows)} rows ok in {time.monotonic() - shard_started:.1f} s; "
          f"load {os.getloadavg()[0]:.2f}")
    for name, failure in failures:
        print(f"FAIL {name}: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
