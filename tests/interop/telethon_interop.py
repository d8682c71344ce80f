#!/usr/bin/env python3
"""Telethon 1.25 (Debian's python3-telethon, layer 144) against a fresh tgget-testdc.

A client nobody on this project wrote must be able to do the whole download flow: handshake (legacy
RSA padding, p_q_inner_data without dc), login by code and by 2FA password, resolve t.me/tgdemo/N,
download a 50 MiB document and one stored on another DC (its own export/import of authorization),
over the full transport and over the obfuscated one.

Usage: telethon_interop.py --testdc PATH --case NAME
"""
import argparse
import asyncio
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testdc_fixture import TestDC  # noqa: E402

from telethon import TelegramClient, connection, errors  # noqa: E402
from telethon.crypto import rsa  # noqa: E402
from telethon.sessions import MemorySession  # noqa: E402

PHONE = "15550000001"
CODE = "12345"
PHONE_2FA = "15550000002"
CODE_2FA = "22222"
PASSWORD_2FA = "correct horse battery staple"
BIG_SIZE = 50 * 1024 * 1024
FOREIGN_SIZE = 3 * 1024 * 1024 + 12345  # not a multiple of the part size on purpose


def write_file(path, size, seed):
    rng = random.Random(seed)
    with open(path, "wb") as f:
        left = size
        while left:
            chunk = min(left, 1 << 20)
            f.write(rng.randbytes(chunk))
            left -= chunk
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make_world(workdir, big):
    files = {}
    files["big"] = (os.path.join(workdir, "big.bin"), BIG_SIZE if big else 256 * 1024 + 7)
    files["foreign"] = (os.path.join(workdir, "foreign.mp4"), FOREIGN_SIZE)
    hashes = {name: write_file(path, size, seed) for seed, (name, (path, size)) in enumerate(files.items(), 1)}
    manifest = {
        "home_dc": 2,
        "dcs": [{"id": 1}, {"id": 2, "media": True}, {"id": 4}],
        "accounts": [
            {"phone": PHONE, "code": CODE, "first_name": "Interop", "username": "interop_user"},
            {"phone": PHONE_2FA, "code": CODE_2FA, "password": PASSWORD_2FA, "first_name": "Secure"},
        ],
        "channels": [{
            "username": "tgdemo", "title": "tgget demo",
            "messages": [
                {"id": 1, "text": "big file", "document": {"file": files["big"][0], "dc": 2}},
                {"id": 2, "text": "on DC 4", "document": {"file": files["foreign"][0], "dc": 4,
                                                          "mime_type": "video/mp4", "file_name": "clip.mp4",
                                                          "video": {"duration": 3, "w": 640, "h": 360}}},
            ],
        }],
    }
    path = os.path.join(workdir, "world.json")
    with open(path, "w") as f:
        json.dump(manifest, f)
    return path, hashes


def new_client(dc, conn_class):
    rsa.add_key(dc.public_key_pem(), old=False)
    session = MemorySession()
    session.set_dc(dc.dc, dc.host, dc.port)
    return TelegramClient(session, int(dc.env["TGGET_API_ID"]), dc.env["TGGET_API_HASH"],
                          connection=conn_class, receive_updates=False, request_retries=3,
                          connection_retries=1, timeout=30)


async def login(client, phone, code, password=None):
    await client.connect()
    sent = await client.send_code_request(phone)
    assert sent.phone_code_hash, "no phone_code_hash"
    try:
        await client.sign_in(phone, code)
        assert password is None, "2FA account logged in without a password"
    except errors.SessionPasswordNeededError:
        assert password is not None, "password requested for an account without 2FA"
        await client.sign_in(password=password)
    me = await client.get_me()
    assert me is not None and me.phone == phone, f"get_me returned {me!r}"
    return me


async def download_sha256(client, username, msg_id, workdir):
    message = await client.get_messages(username, ids=msg_id)
    assert message is not None and message.media is not None, f"t.me/{username}/{msg_id} has no media"
    target = os.path.join(workdir, f"download-{msg_id}.bin")
    path = await client.download_media(message, file=target)
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest(), message


async def case_body(args, dc, hashes, workdir):
    conn = connection.ConnectionTcpObfuscated if args.case == "obfuscated" else connection.ConnectionTcpFull
    client = new_client(dc, conn)
    try:
        if args.case == "login_code":
            me = await login(client, PHONE, CODE)
            assert me.first_name == "Interop"
            assert await client.is_user_authorized()
        elif args.case == "login_2fa":
            await login(client, PHONE_2FA, CODE_2FA, PASSWORD_2FA)
            other = new_client(dc, conn)
            try:
                await other.connect()
                await other.send_code_request(PHONE_2FA)
                try:
                    await other.sign_in(PHONE_2FA, CODE_2FA)
                    raise AssertionError("2FA skipped")
                except errors.SessionPasswordNeededError:
                    pass
                try:
                    await other.sign_in(password="wrong password")
                    raise AssertionError("a wrong 2FA password was accepted")
                except errors.PasswordHashInvalidError:
                    pass
            finally:
                await other.disconnect()
        elif args.case == "download_big":
            await login(client, PHONE, CODE)
            digest, _ = await download_sha256(client, "tgdemo", 1, workdir)
            assert digest == hashes["big"], "50 MiB download differs from the source file"
            assert dc.count("upload.getFile") >= BIG_SIZE // (1024 * 1024)
        elif args.case == "download_foreign_dc":
            await login(client, PHONE, CODE)
            digest, message = await download_sha256(client, "tgdemo", 2, workdir)
            assert message.file.name == "clip.mp4" and message.file.mime_type == "video/mp4"
            assert digest == hashes["foreign"], "cross-DC download differs from the source file"
            assert dc.count("auth.exportAuthorization") == 1
            assert dc.count("auth.importAuthorization") == 1
        elif args.case == "obfuscated":
            await login(client, PHONE, CODE)
            digest, _ = await download_sha256(client, "tgdemo", 1, workdir)
            assert digest == hashes["big"]
        else:
            raise SystemExit(f"unknown case {args.case}")
    finally:
        await client.disconnect()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--testdc", required=True)
    parser.add_argument("--case", required=True)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="tgget-interop-")
    try:
        manifest, hashes = make_world(workdir, big=args.case == "download_big")
        with TestDC(args.testdc, manifest=manifest) as dc:
            asyncio.run(asyncio.wait_for(case_body(args, dc, hashes, workdir), timeout=240))
            code = dc.stop()
            assert code == 0, f"tgget-testdc exited with {code}"
        print(f"telethon interop {args.case}: 1 passed, 0 failed")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
