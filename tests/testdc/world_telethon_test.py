#!/usr/bin/python3
"""The test DC's world as a client nobody here wrote sees it: Telethon 1.25 (Debian's
python3-telethon, layer 144) against a fresh tgget-testdc per case. Forum topics, a channel with
its discussion group and comments, albums, a private channel reached through the dialogs,
getHistory paging, re-posted documents, hostile file names, messages posted through the control
port while the server runs, and the demo's --sample-world. Every expectation comes from the
manifest this script writes (tests/interop/testdc_world.py), never from the server's answers.

Usage: world_telethon_test.py --testdc PATH --case NAME
"""
import argparse
import asyncio
import hashlib
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from testdc_fixture import TestDC  # noqa: E402
from testdc_world import Manifest, add, generate, generated_bytes, generated_sha256, same_as  # noqa: E402
from telethon_interop import login, new_client  # noqa: E402

from telethon import connection, errors, functions, types  # noqa: E402

ALICE, BOB = "15550000001", "15550000002"
HISTORY = 250            # messages in @history_chan: three getHistory pages of 100
SECRET_ID = 1000000555   # the private channel: no username, Alice is a member, Bob is not
GROUP_ID = 1000000900    # @news's discussion group (private too)
BASE_DATE = 1700000000   # manifest messages are dated BASE_DATE + id
HOSTILE = {              # message id in @files -> the file name it carries (None: no attribute)
    5: "../../x",
    6: "/etc/passwd",
    7: "a\x01b\x1b[31m\x7f\nc\x00d.txt",
    8: "\u00e9" * 148 + ".bin",  # 300 bytes of UTF-8
    9: "...",
    10: "",
    11: None,
}
EXTRA_DIALOGS = 12       # channels dlg1..dlg12 with k messages each, so dialogs page


class Fail(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Fail(message)


def build_world(workdir):
    m = Manifest(seed=11)
    m.account(ALICE, first_name="Alice", username="alice_user")
    m.account(BOB, code="22222", first_name="Bob")

    history = m.channel(username="history_chan", title="History", members=[ALICE])
    for i in range(1, HISTORY + 1):
        doc = generate(1000 + i, seed=i, name=f"h{i}.bin") if i % 25 == 0 else None
        add(history, text=f"m{i}", **({"document": doc} if doc else {}))

    forum = m.channel(username="forum_group", title="Forum", forum=True, members=[ALICE])
    add(forum, text="general one", **{"from": ALICE})
    add(forum, text="general two")
    alpha = Manifest.topic(forum, "Alpha")             # topic id 3 (its creation message)
    for i in range(1, 5):
        add(alpha, text=f"alpha {i}", **{"from": ALICE})     # 4..7
    add(alpha, text="alpha reply", reply_to=5)                # 8: a reply inside the topic
    beta = Manifest.topic(forum, "Beta", icon_color=0xFF93B2)  # 9
    add(beta, text="beta 1", document=generate(5000, seed=91, name="beta.bin"))  # 10
    add(beta, text="beta 2")                                  # 11

    news = m.channel(username="news_chan", title="News", members=[ALICE], linked_chat=GROUP_ID)
    m.channel(id=GROUP_ID, title="News chat", megagroup=True, members=[ALICE])
    add(news, text="post one", comments=[
        {"text": "first!", "from": ALICE},
        {"text": "a file", "from": BOB, "document": generate(70000, seed=71, name="comment.bin")},
        {"text": "third", "from": ALICE}])
    add(news, text="post two")
    add(news, text="post three", comments=[{"text": "only comment"}])

    files = m.channel(username="files_chan", title="Files", members=[ALICE])
    add(files, text="shared", document=generate(200000, seed=5, name="shared.bin", key="shared"))  # 1
    add(files, text="album a", grouped_id=4242, document=generate(3000, seed=21, name="a.jpg", mime="image/jpeg"))
    add(files, grouped_id=4242, document=generate(3001, seed=22, name="b.jpg", mime="image/jpeg"))
    add(files, text="again", document=same_as("shared"))  # 4
    for msg_id, name in HOSTILE.items():
        doc = generate(1024 + msg_id, seed=100 + msg_id, name=name, no_name=name is None,
                       mime="image/png" if name is None else "application/octet-stream")
        add(files, id=msg_id, text=f"hostile {msg_id}", document=doc)

    secret = m.channel(id=SECRET_ID, title="Secret", members=[ALICE])
    add(secret, text="hidden one")
    add(secret, text="hidden two", document=same_as("shared"))  # re-posted in another chat
    add(secret, text="hidden three", document=generate(4096, seed=33, name="s.bin", dc=4))

    for k in range(1, EXTRA_DIALOGS + 1):
        chat = m.channel(username=f"dlg_chat{k}", title=f"Dialog {k}", members=[ALICE])
        for i in range(k):
            add(chat, text=f"d{k}.{i}")
    return m.write(workdir)


async def signed_in(dc, phone=ALICE, code="12345"):
    client = new_client(dc, connection.ConnectionTcpFull)
    await login(client, phone, code)
    return client


async def history(client, peer, **kw):
    return await client(functions.messages.GetHistoryRequest(
        peer=peer, offset_id=kw.get("offset_id", 0), offset_date=kw.get("offset_date"),
        add_offset=kw.get("add_offset", 0), limit=kw.get("limit", 100), max_id=kw.get("max_id", 0),
        min_id=kw.get("min_id", 0), hash=0))


async def case_history(dc, client):
    ids = [m.id async for m in client.iter_messages("history_chan")]
    check(ids == list(range(HISTORY, 0, -1)), f"iter_messages over the chat: {len(ids)} messages, {ids[:3]}...")
    check(dc.count("messages.getHistory") == 3, f"{dc.count('messages.getHistory')} getHistory calls for 250")
    rev = [m.id async for m in client.iter_messages("history_chan", reverse=True)]
    check(rev == list(range(1, HISTORY + 1)), f"reverse: {rev[:3]}... ({len(rev)})")
    got = await client.get_messages("history_chan", limit=0)
    check(got.total == HISTORY, f"total {got.total}")
    ranged = [m.id async for m in client.iter_messages("history_chan", min_id=100, max_id=150)]
    check(ranged == list(range(149, 100, -1)), f"min_id/max_id: {ranged[:3]}...")

    peer = await client.get_input_entity("history_chan")
    cases = [  # (request, expected ids) as Telegram pages: offset, then add_offset, limit, then min/max
        (dict(offset_id=100, add_offset=-10, limit=20), list(range(109, 89, -1))),
        (dict(limit=200), list(range(250, 150, -1))),                        # limit capped at 100
        (dict(offset_id=5, add_offset=-3, limit=2), [7, 6]),
        (dict(offset_id=251, add_offset=-2, limit=5), [250, 249, 248]),      # the part before the newest is empty
        (dict(offset_id=250, add_offset=-5, limit=3), []),
        (dict(offset_id=10, add_offset=3, limit=4), [6, 5, 4, 3]),
        (dict(offset_id=3, limit=10), [2, 1]),
        (dict(max_id=150, min_id=140), []),                                  # the page is 250..151, filtered
        (dict(offset_id=150, max_id=150, min_id=140), list(range(149, 140, -1))),
        (dict(offset_date=BASE_DATE + 101, limit=10), list(range(100, 90, -1))),
        (dict(offset_id=60, offset_date=BASE_DATE + 10, limit=3), [59, 58, 57]),  # offset_id wins
    ]
    for request, expected in cases:
        r = await history(client, peer, **request)
        got = [m.id for m in r.messages]
        check(isinstance(r, types.messages.ChannelMessages), f"{request}: {type(r).__name__}")
        check(got == expected, f"getHistory {request}: {got}, expected {expected}")
        check(r.count == HISTORY, f"{request}: count {r.count}")
    doc = (await client.get_messages("history_chan", ids=25)).file
    check(doc is not None and doc.size == 1025 and doc.name == "h25.bin", "message 25's document")


async def case_topics(dc, client):
    forum = await client.get_entity("forum_group")
    check(forum.megagroup and not forum.broadcast, "the forum is a megagroup")
    alpha = [m async for m in client.iter_messages(forum, reply_to=3)]
    check([m.id for m in alpha] == [8, 7, 6, 5, 4, 3], f"topic Alpha: {[m.id for m in alpha]}")
    check(isinstance(alpha[-1], types.MessageService), "the topic's creation message comes last")
    for m in alpha[:-1]:
        r = m.reply_to
        check(r is not None, f"message {m.id} has no reply header")
        if m.id == 8:
            check(r.reply_to_msg_id == 5 and r.reply_to_top_id == 3, f"reply in topic: {r.to_dict()}")
        else:
            check(r.reply_to_msg_id == 3 and r.reply_to_top_id is None, f"message {m.id}: {r.to_dict()}")
    check(alpha[1].sender_id == 1000001, "messages in groups name their sender")
    beta = [m async for m in client.iter_messages(forum, reply_to=9)]
    check([m.id for m in beta] == [11, 10, 9], f"topic Beta: {[m.id for m in beta]}")
    check(beta[1].file.size == 5000, "Beta's document")
    general = [m.id async for m in client.iter_messages(forum, reply_to=1)]
    check(general == [2, 1], f"General: {general}")
    everything = [m.id async for m in client.iter_messages(forum)]
    check(everything == list(range(11, 0, -1)), f"the whole forum: {everything}")
    try:
        await client(functions.messages.GetRepliesRequest(forum, 2, 0, None, 0, 10, 0, 0, 0))
        raise Fail("getReplies on a message in no thread answered")
    except errors.MsgIdInvalidError:
        pass


async def case_comments(dc, client):
    news = await client.get_entity("news_chan")
    check(news.broadcast, "news_chan is a broadcast channel")
    full = await client(functions.channels.GetFullChannelRequest(news))
    check(full.full_chat.linked_chat_id == GROUP_ID, f"linked_chat_id {full.full_chat.linked_chat_id}")
    check(any(getattr(c, "id", 0) == GROUP_ID for c in full.chats), "the group comes with the full channel")
    post = await client.get_messages(news, ids=1)
    check(post.replies is not None and post.replies.comments and post.replies.replies == 3
          and post.replies.channel_id == GROUP_ID, f"post 1 replies: {post.replies}")
    two = await client.get_messages(news, ids=2)
    check(two.replies is not None and two.replies.replies == 0, f"post 2 replies: {two.replies}")
    comments = [m async for m in client.iter_messages(news, reply_to=1)]
    check([m.text for m in comments] == ["third", "a file", "first!"], f"comments: {[m.text for m in comments]}")
    check(all(m.peer_id.channel_id == GROUP_ID for m in comments), "comments live in the group")
    check(comments[2].sender_id == 1000001 and comments[1].sender_id == 1000002, "comment senders")
    target = os.path.join(dc.workdir, "comment.bin")
    path = await client.download_media(comments[1], file=target)
    with open(path, "rb") as f:
        check(f.read() == generated_bytes(71, 70000), "the comment's document downloads right")
    three = [m.text async for m in client.iter_messages(news, reply_to=3)]
    check(three == ["only comment"], f"post 3's comments: {three}")

    disc = await client(functions.messages.GetDiscussionMessageRequest(news, 1))
    root = disc.messages[0]
    check(root.peer_id.channel_id == GROUP_ID and root.fwd_from.channel_post == 1, f"discussion root {root}")
    check(disc.max_id == comments[0].id, f"discussion max_id {disc.max_id}")
    in_group = [m.text async for m in client.iter_messages(types.PeerChannel(GROUP_ID), reply_to=root.id)]
    check(in_group == ["third", "a file", "first!"], f"the same thread from the group: {in_group}")


async def case_dialogs(dc, client):
    dialogs = await client.get_dialogs()
    total = 5 + EXTRA_DIALOGS + 1  # history, forum, news, its group, files, secret + dlg chats
    check(len(dialogs) == total, f"{len(dialogs)} dialogs, expected {total}")
    secret = next((d for d in dialogs if d.id == -1000000000000 - SECRET_ID), None)
    check(secret is not None, "the private channel is among the dialogs")
    check(getattr(secret.entity, "username", None) is None, "the private channel has no username")
    check(secret.message.id == 3, f"its top message {secret.message.id}")
    msg = await client.get_messages(types.PeerChannel(SECRET_ID), ids=2)
    check(msg is not None and msg.text == "hidden two", "a message fetched by id from the private channel")

    # Raw paging, five at a time, as Telethon pages: offset from the last dialog of the page.
    seen, offset = [], dict(offset_date=None, offset_id=0, offset_peer=types.InputPeerEmpty())
    while True:
        r = await client(functions.messages.GetDialogsRequest(limit=5, hash=0, **offset))
        check(isinstance(r, types.messages.DialogsSlice) and r.count == total, f"page {type(r).__name__}")
        if not r.dialogs:
            break
        seen += [utils_peer(d.peer) for d in r.dialogs]
        last = r.dialogs[-1]
        top = next(m for m in r.messages if m.id == last.top_message and m.peer_id == last.peer)
        chat = next(c for c in r.chats if c.id == last.peer.channel_id)
        offset = dict(offset_date=top.date, offset_id=top.id, offset_peer=types.InputPeerChannel(chat.id, chat.access_hash))
    check(seen == [utils_peer(d.dialog.peer) for d in dialogs], f"paged order {seen} differs from get_dialogs")
    check(len(set(seen)) == total, "no dialog twice")

    secret_hash = secret.entity.access_hash
    try:
        await client(functions.channels.GetChannelsRequest([types.InputChannel(SECRET_ID, secret_hash ^ 1)]))
        raise Fail("a wrong access hash was accepted")
    except errors.ChannelInvalidError:
        pass
    bob = await signed_in(dc, BOB, "22222")
    try:
        try:
            await bob(functions.channels.GetChannelsRequest([types.InputChannel(SECRET_ID, secret_hash)]))
            raise Fail("a non-member read the private channel")
        except errors.ChannelPrivateError:
            pass
        check(len(await bob.get_dialogs()) == 0, "Bob is a member of nothing")
    finally:
        await bob.disconnect()


def utils_peer(peer):
    return peer.channel_id


async def case_reposts(dc, client):
    first = await client.get_messages("files_chan", ids=1)
    again = await client.get_messages("files_chan", ids=4)
    await client.get_dialogs()  # the private channel's access hash, as a client learns it
    other = await client.get_messages(types.PeerChannel(SECRET_ID), ids=2)
    docs = [m.media.document for m in (first, again, other)]
    check(len({(d.id, d.access_hash) for d in docs}) == 1, f"re-posted ids differ: {[d.id for d in docs]}")
    check(docs[0].id != (await client.get_messages(types.PeerChannel(SECRET_ID), ids=3)).media.document.id,
          "different documents have different ids")
    want = generated_sha256(5, 200000)
    for m in (first, other):
        data = await client.download_media(m, file=bytes)
        check(hashlib.sha256(data).hexdigest() == want, f"message {m.id}'s download")


async def case_hostile_names(dc, client):
    for msg_id, name in HOSTILE.items():
        m = await client.get_messages("files_chan", ids=msg_id)
        attrs = [a for a in m.media.document.attributes if isinstance(a, types.DocumentAttributeFilename)]
        if name is None:
            check(attrs == [] and m.file.name is None, f"message {msg_id} has a file name {attrs}")
            check(m.file.mime_type == "image/png", f"message {msg_id} mime {m.file.mime_type}")
        else:
            check(len(attrs) == 1, f"message {msg_id}: {len(attrs)} name attributes")
            got = attrs[0].file_name
            check(got.encode() == name.encode(), f"message {msg_id}: {got.encode()!r} != {name.encode()!r}")
    check(len(HOSTILE[8].encode()) == 300, "the long name is 300 bytes")
    data = await client.download_media(await client.get_messages("files_chan", ids=5), file=bytes)
    check(data == generated_bytes(105, 1029), "a hostile-named document downloads right")


async def case_albums(dc, client):
    msgs = {m.id: m async for m in client.iter_messages("files_chan")}
    check(msgs[2].grouped_id == 4242 and msgs[3].grouped_id == 4242, "the album's items share grouped_id")
    check(all(m.grouped_id is None for i, m in msgs.items() if i not in (2, 3)), "only the album is grouped")
    check(msgs[3].file.mime_type == "image/jpeg" and msgs[3].file.size == 3001, "album item 2")


async def case_control_post(dc, client):
    newest = (await client.get_messages("history_chan", limit=1))[0]
    check(newest.id == HISTORY, f"newest before posting {newest.id}")
    posted = dc.post("@history_chan", text="fresh news", size=300000, seed=99, name="new file.bin")
    check(posted["id"] == str(HISTORY + 1), f"control answered {posted}")
    after = [m async for m in client.iter_messages("history_chan", min_id=HISTORY - 2)]
    check([m.id for m in after] == [HISTORY + 1, HISTORY, HISTORY - 1], f"after the post: {[m.id for m in after]}")
    new = after[0]
    check(new.text == "fresh news" and new.file.name == "new file.bin" and new.file.size == 300000, "the post")
    check(str(new.media.document.id) == posted["document_id"], "the answer names the document")
    check(new.date.timestamp() >= newest.date.timestamp(), "a new post is not dated before the newest")
    data = await client.download_media(new, file=bytes)
    check(hashlib.sha256(data).hexdigest() == generated_sha256(99, 300000), "the posted document's bytes")
    text_only = dc.post("history_chan", text="no file")
    check(text_only["id"] == str(HISTORY + 2) and "document_id" not in text_only, f"{text_only}")
    check((await client.get_messages("history_chan", limit=0)).total == HISTORY + 2, "count after two posts")

    post = dc.post("@news_chan", text="breaking")
    check("copy" in post, f"a post in a channel with a discussion group is copied there: {post}")
    got = await client.get_messages("news_chan", ids=int(post["id"]))
    check(got.replies is not None and got.replies.replies == 0, "the new post has an empty comment thread")
    comment = dc.post(str(GROUP_ID), text="late comment", reply_to=post["copy"], **{"from": BOB})
    comments = [m async for m in client.iter_messages("news_chan", reply_to=int(post["id"]))]
    check([m.id for m in comments] == [int(comment["id"])], f"the control-posted comment {comments}")
    topic_post = dc.post("@forum_group", text="into Beta", topic=9)
    beta = [m.id async for m in client.iter_messages("forum_group", reply_to=9)]
    check(beta[0] == int(topic_post["id"]), f"a control post in a topic: {beta}")

    for bad in ["post @nobody_here text=x", "post @history_chan size=-1", "post @history_chan colour=red",
                "post @history_chan name=x", "post @forum_group topic=4", "launch", "post @history_chan text=%zz"]:
        answer = dc.control(bad)
        check(answer.startswith("error "), f"{bad!r} answered {answer!r}")
    check(dc.control("ping") == "ok", "ping")
    check((await client.get_messages("history_chan", limit=0)).total == HISTORY + 2, "refused posts changed nothing")


async def case_sample_world(dc, client):
    msgs = [m async for m in client.iter_messages("tgdemo")]
    check([m.id for m in msgs] == [7, 6, 5, 4, 3, 2, 1], f"sample ids {[m.id for m in msgs]}")
    by_id = {m.id: m for m in msgs}
    check([i for i, m in by_id.items() if m.media is None] == [1], "exactly message 1 has no media")
    check({by_id[i].grouped_id for i in (3, 4, 5)} == {5001}, "messages 3-5 are one album")
    check(by_id[4].media.document.dc_id == 4, "one album item is on DC 4")
    big = by_id[6].file
    check(big.size == 200 * 1024 * 1024 and big.name == "big.bin", f"the big file: {big.size} {big.name}")
    async for chunk in client.iter_download(by_id[6].media, request_size=1 << 20, limit=1):
        check(bytes(chunk) == generated_bytes(6, 1 << 20), "the big file's first MiB is generate seed 6")
    data = await client.download_media(by_id[2], file=bytes)
    check(hashlib.sha256(data).hexdigest() == generated_sha256(2, 300 * 1024), "report.pdf")
    dialogs = await client.get_dialogs()
    check([d.entity.username for d in dialogs] == ["tgdemo"], "the demo account sees its channel")


CASES = {name[5:]: fn for name, fn in dict(globals()).items() if name.startswith("case_")}


async def run_case(name, dc):
    client = await signed_in(dc)
    try:
        await CASES[name](dc, client)
    finally:
        await client.disconnect()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--testdc", required=True)
    parser.add_argument("--case", required=True, choices=sorted(CASES))
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="tgget-world-")
    try:
        if args.case == "sample_world":
            fixture = TestDC(args.testdc, sample_world=True)
        else:
            fixture = TestDC(args.testdc, manifest=build_world(workdir), control=args.case == "control_post")
        with fixture as dc:
            asyncio.run(asyncio.wait_for(run_case(args.case, dc), timeout=240))
            code = dc.stop()
            check(code == 0, f"tgget-testdc exited with {code}")
    except Fail as e:
        print(f"FAIL {args.case}: {e}")
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"ok {args.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
