#!/usr/bin/env python3
"""tgget against a tgget-testdc that lies at the MTProto level with every --hostile switch at once
(except bad-nonce, which allows no login at all): damaged packets, replayed packets, decoy answers
with msg_ids far in the past and future, nested containers, lying bytes lengths, a vector count of
2^31 - 1 and a gzip bomb. The downloads still complete with the right SHA-256 (so no decoy was
taken for an answer), and the server's log shows that each lie was told.

Usage: cli_hostile_protocol_test.py --tgget PATH --testdc PATH --case NAME
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cli_download_test import MiB, download_ok, get_file_lines, with_server  # noqa: E402
from cli_support import check, run  # noqa: E402

HOSTILE = ("msg-key-mismatch", "replayed-msg-id", "msg-id-past", "msg-id-future", "nested-container",
           "lying-bytes", "huge-vector", "gzip-bomb")


def hostile_lines(dc):
    return [f for f in dc.rpc_lines() if len(f) > 7 and f[4] == "hostile"]


def case_all_at_once(tgget, testdc):
    args = [a for name in HOSTILE for a in ("--hostile", name)]

    def body(cli, dc, world, work):
        # File 1 on the home DC, file 2 on DC 4 (export/import of the authorization on the way).
        done, _ = download_ok(cli, world, 1, os.path.join(work, "one.bin"))
        check(done["verified"], f"not verified: {done}")
        download_ok(cli, world, 2, os.path.join(work, "two.bin"))
        told = {f[7] for f in hostile_lines(dc)}
        missing = [name for name in HOSTILE if name not in told]
        check(not missing, f"the server never applied {missing} (applied: {sorted(told)})")
        check(get_file_lines(dc, "ok"), "no part served")
        check(dc.count("handshake") <= 2, "a lie cost an auth key (one per DC expected)")

    with_server(tgget, testdc, body, args, sizes=(6 * MiB + 12345, MiB + 777))


if __name__ == "__main__":
    run(globals())
