#!/usr/bin/env python3
"""Turns what tgget-testdc recorded (TESTDC_RECORD=DIR, see tools/testdc/recorder.hpp) into the
seed corpora of the fuzzers, in each harness's input format (see the comment at the top of each
tests/fuzz/TARGET.cpp):

    make_corpus.py RECORD_DIR [JOBS_SQLITE...] OUT_DIR      (OUT_DIR: tests/fuzz/corpus)

Every seed is a real message of the test DC or a real message in the framing/sealing the harness
expects; seeds are picked for variety (distinct constructor ids first) and kept small."""
import os, random, sqlite3, struct, sys, zlib, hashlib

CONTAINER, RPC_RESULT, GZIP = 0x73f1f8dc, 0xf35c6d01, 0x3072cfa1
rng = random.Random(1)


def u32(b, at=0): return struct.unpack_from('<I', b, at)[0]
def u64(b, at=0): return struct.unpack_from('<Q', b, at)[0]


def tl_bytes(b, at):
    """A TL bytes value at `at`: (value, offset after it)."""
    n, head = b[at], 1
    if n == 254: n, head = b[at + 1] | b[at + 2] << 8 | b[at + 3] << 16, 4
    end = at + head + n
    return b[at + head:end], end + (-(head + n)) % 4


def tl_bytes_encode(v):
    head = bytes([len(v)]) if len(v) < 254 else b'\xfe' + struct.pack('<I', len(v))[:3]
    out = head + v
    return out + b'\0' * (-len(out) % 4)


def gzip_packed(body):
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    return struct.pack('<I', GZIP) + tl_bytes_encode(c.compress(body) + c.flush())


def objects(body):
    """The body and every object it carries (container items, rpc_result results, gzip contents)."""
    if len(body) < 4: return
    yield body
    cid = u32(body)
    try:
        if cid == CONTAINER:
            at = 8
            for _ in range(u32(body, 4)):
                n = u32(body, at + 12)
                yield from objects(body[at + 16:at + 16 + n])
                at += 16 + n
        elif cid == RPC_RESULT:
            yield from objects(body[12:])
        elif cid == GZIP:
            yield from objects(zlib.decompress(tl_bytes(body, 4)[0], 47))
    except (IndexError, struct.error, zlib.error):
        pass


def load(record_dir):
    files = sorted(os.listdir(record_dir))
    out = []
    for name in files:
        seq, group, kind = name[:-4].split('-')
        with open(os.path.join(record_dir, name), 'rb') as f:
            out.append((int(seq), group, kind, f.read()))
    return out


def plaintext_body(p):
    n = u32(p, 28)
    return p[32:32 + n]


def pick(items, key, limit):
    """Up to `limit` items, distinct keys first, smallest first within a key."""
    seen, first, rest = set(), [], []
    for it in sorted(items, key=len):
        (rest if key(it) in seen else first).append(it)
        seen.add(key(it))
    return (first + rest)[:limit]


def write(out_dir, target, seeds):
    d = os.path.join(out_dir, target)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d): os.remove(os.path.join(d, f))
    for s in seeds:
        with open(os.path.join(d, hashlib.sha1(s).hexdigest()[:16]), 'wb') as f: f.write(s)
    print(f'{target}: {len(seeds)} seeds, {sum(map(len, seeds))} bytes')


def record(b): return struct.pack('<H', len(b)) + b


def frame(kind, payload, seq):
    if kind == 0:
        n = len(payload) // 4
        head = bytes([n]) if n < 0x7f else b'\x7f' + struct.pack('<I', n)[:3]
        return head + payload
    if kind == 1: return struct.pack('<I', len(payload)) + payload
    if kind == 2:
        pad = bytes(rng.randrange(256) for _ in range(rng.randrange(16)))
        return struct.pack('<I', len(payload) + len(pad)) + payload + pad
    head = struct.pack('<II', len(payload) + 12, seq) + payload
    return head + struct.pack('<I', zlib.crc32(head))


MARKERS = [b'\xef', b'\xee' * 4, b'\xdd' * 4, b'']


def plain_packet(body): return struct.pack('<QQI', 0, rng.getrandbits(62) << 2, len(body)) + body


def main():
    record_dir, out_dir, dbs = sys.argv[1], sys.argv[-1], sys.argv[2:-1]
    recs = load(record_dir)
    by = lambda k: [r for r in recs if r[2] == k]
    sout, cin = by('sout'), by('cin')
    bodies = [plaintext_body(r[3]) for r in sout + cin] + [r[3] for r in by('pin') + by('pout')]

    objs = [o for b in bodies for o in objects(b) if len(o) <= 16384]
    write(out_dir, 'tl_any', pick(objs, lambda o: u32(o), 60))

    gz = [o for o in objs if u32(o) == GZIP]
    real = pick([o for o in objs if u32(o) not in (CONTAINER, GZIP)], lambda o: u32(o), 12)
    seeds = [b'\0' + o for o in gz[:8]] + [b'\0' + gzip_packed(o) for o in real]
    c = lambda o: (lambda z: z.compress(o) + z.flush())(zlib.compressobj(6, zlib.DEFLATED, 31))
    seeds += [b'\1' + c(o) for o in real[:6]] + [b'\1' + zlib.compress(o) for o in real[6:]]
    write(out_dir, 'gzip_packed', seeds)

    # The cipher: sealed server plaintexts with valid padding, and a few wire packets as they came.
    ps = pick([r[3] for r in sout if len(r[3]) <= 8192], lambda p: u32(plaintext_body(p)), 24)
    seeds = [b'\1' + p + bytes(rng.randrange(256) for _ in range(12 + (-(len(p) + 12)) % 16)) for p in ps]
    seeds += [b'\0' + r[3] for r in by('wout') if len(r[3]) <= 1024][:4]
    write(out_dir, 'message_cipher', seeds)

    # The session: each server session's messages in order, client msg_ids as MSGID# placeholders.
    seeds = []
    for group in sorted({r[1] for r in sout}):
        sent, out = [], b''
        for seq, g, kind, data in recs:
            if g != group: continue
            if kind == 'cin':
                body = plaintext_body(data)
                sent.insert(0, data[16:24])
                if len(body) >= 8 and u32(body) == CONTAINER:
                    at = 8
                    for _ in range(u32(body, 4)):
                        sent.insert(0, body[at:at + 8]); at += 16 + u32(body, at + 12)
            elif kind == 'sout' and len(data) <= 16384:
                body = plaintext_body(data)
                for k, mid in enumerate(sent[:16]):
                    body = body.replace(mid, b'MSGID#' + bytes([k]) + b'#')
                out += record(data[16:28] + body)
                if len(out) > 24000: break
        if out: seeds.append(out)
    seeds = sorted(seeds, key=len)[:16]
    # gzip_packed comes only with large answers; wrap a few real ones as the server would.
    for s in list(seeds[:4]):
        recs_ = []
        at = 0
        while at + 2 <= len(s):
            n = struct.unpack_from('<H', s, at)[0]; recs_.append(s[at + 2:at + 2 + n]); at += 2 + n
        seeds.append(b''.join(record(r[:12] + gzip_packed(r[12:])) if len(r) > 12 and u32(r, 12) == RPC_RESULT
                              else record(r) for r in recs_))
    write(out_dir, 'session', seeds)

    # Transports: real packets framed as each transport does, for both roles, plain and obfuscated.
    to_client = [r[3] for r in by('wout') if len(r[3]) <= 4096] + [plain_packet(r[3]) for r in by('pout')]
    to_server = [r[3] for r in by('win') if len(r[3]) <= 4096] + [plain_packet(r[3]) for r in by('pin')]
    seeds = []
    for selector in range(16):
        kind, server, obf = selector & 3, selector >> 2 & 1, selector >> 3 & 1
        if obf and kind == 3: continue
        pool = to_server if server else to_client
        packets = rng.sample(pool, min(5, len(pool)))
        stream = MARKERS[kind] if server and not obf else b''
        for i, p in enumerate(packets): stream += frame(kind, p, i)
        if not server and kind != 2: stream += frame(kind, struct.pack('<i', -404), len(packets))
        seeds.append(bytes([selector, rng.randrange(256)]) + stream)
    write(out_dir, 'transport', seeds)

    # Planner state and job rows from tgget's job databases.
    plans, rows = [], []
    for db in dbs:
        con = sqlite3.connect(db)
        q = ('SELECT j.id, j.link, j.peer_kind, j.peer_id, j.message_id, j.document_id, j.access_hash, j.dc_id,'
             ' j.size, j.part_size, j.file_name, j.mime_type, j.output_path, j.state, j.error, j.sha256,'
             ' j.created_at, j.updated_at, p.plan FROM jobs j LEFT JOIN job_progress p ON p.job_id = j.id')
        for row in con.execute(q):
            out = b''
            for v in row:
                if v is None: out += record(b'\0')
                elif isinstance(v, int): out += record(b'\1' + struct.pack('<q', v))
                elif isinstance(v, str): out += record(b'\2' + v.encode())
                elif isinstance(v, float): out += record(b'\4' + struct.pack('<d', v))
                else: out += record(b'\3' + bytes(v))
            rows.append(out)
            if row[18] is not None:
                plans.append(b'\0' + struct.pack('<QI', row[8], row[9]) + bytes(row[18]))
                plans.append(b'\3' + bytes(12) + bytes(row[18]))
    write(out_dir, 'job_rows', rows[:30])
    write(out_dir, 'part_plan', plans[:30])


main()
