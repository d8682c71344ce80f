#!/usr/bin/env node
// Drives GramJS (npm telegram 2.26.22, layer 198, as it ships) against a local MTProto server such
// as tgget-testdc: logs in by code, resolves a channel, downloads documents, and writes a JSON report
// that the harness (../gramjs_interop.py) checks against the server's RPC log.
//
// GramJS cannot be pointed at 127.0.0.1:PORT as it is; the workarounds for its own bugs live here,
// and only here (see ../../../../shared/interop/GRAMJS.md):
//   - it trusts only Telegram's RSA keys: the server's key is added to its table by fingerprint;
//   - connect() dials port 80 and getDC() port 443 whatever the session and dc_options say: a
//     Connection subclass pins the home DC to HOST:PORT, and getDC keeps the port from dc_options;
//   - StringSession cannot store a port above 32767: a MemorySession, which never serialises, is used;
//   - usernames shorter than 5 characters are refused before any request: contacts.resolveUsername
//     is called directly;
//   - about 1 handshake in 256 fails on its side ("invalid new nonce hash"): it is retried.
//
// Usage: driver.js --server HOST:PORT --dc N --key PUBLIC_PKCS1.pem --api-id N --api-hash S
//                  --phone P --code C [--bad-code C] --channel USERNAME
//                  [--download MSG_ID=PATH]... [--transport full|obfuscated]
//                  [--abandon-first-handshake] [--timeout-s N] --report PATH
"use strict";

const crypto = require("crypto");
const fs = require("fs");

const bigInt = require("big-integer");
const { Api, TelegramClient, errors, Logger } = require("telegram");
const { LAYER } = require("telegram/tl/AllTLObjects");
const { MemorySession } = require("telegram/sessions");
const { ConnectionTCPFull, ConnectionTCPObfuscated } = require("telegram/network/connection");
const { LogLevel } = require("telegram/extensions/Logger");
const RSA = require("telegram/crypto/RSA");
const Authenticator = require("telegram/network/Authenticator");

const HANDSHAKE_RETRIES = 3;

function parseArgs(argv) {
  const args = { downloads: [], transport: "full", timeoutS: 120, abandonFirstHandshake: false };
  const takes = {
    "--server": "server", "--dc": "dc", "--key": "key", "--api-id": "apiId", "--api-hash": "apiHash",
    "--phone": "phone", "--code": "code", "--bad-code": "badCode", "--channel": "channel",
    "--transport": "transport", "--timeout-s": "timeoutS", "--report": "report", "--forum": "forum",
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--abandon-first-handshake") {
      args.abandonFirstHandshake = true;
    } else if (flag === "--download") {
      const m = /^(\d+)=(.+)$/.exec(argv[++i] || "");
      if (!m) throw new Error("--download takes MSG_ID=PATH");
      args.downloads.push({ msgId: Number(m[1]), path: m[2] });
    } else if (flag in takes && i + 1 < argv.length) {
      args[takes[flag]] = argv[++i];
    } else {
      throw new Error(`unknown or incomplete option ${flag}`);
    }
  }
  for (const name of ["server", "dc", "key", "apiId", "apiHash", "phone", "code", "channel", "report"]) {
    if (args[name] === undefined) throw new Error(`missing option for ${name}`);
  }
  const at = args.server.lastIndexOf(":");
  args.host = args.server.slice(0, at);
  args.port = Number(args.server.slice(at + 1));
  args.dc = Number(args.dc);
  args.apiId = Number(args.apiId);
  args.timeoutS = Number(args.timeoutS);
  if (!["full", "obfuscated"].includes(args.transport)) throw new Error(`unknown transport ${args.transport}`);
  return args;
}

function log(line) {
  process.stderr.write(`gramjs driver: ${line}\n`);
}

// --- RSA: trust the server's key, and only it -------------------------------------------------

// TL serialisation of a byte string (length prefix, then padding to 4 bytes).
function tlBytes(data) {
  const head = data.length < 254
    ? Buffer.from([data.length])
    : Buffer.from([254, data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff]);
  const padding = (4 - ((head.length + data.length) % 4)) % 4;
  return Buffer.concat([head, data, Buffer.alloc(padding)]);
}

// MTProto's key fingerprint: the low 64 bits of sha1(tl_bytes(n) + tl_bytes(e)), little-endian,
// keyed in GramJS's table as a signed decimal string.
function trustServerKey(pemPath) {
  const jwk = crypto.createPublicKey({ key: fs.readFileSync(pemPath), format: "pem", type: "pkcs1" })
    .export({ format: "jwk" });
  const n = Buffer.from(jwk.n, "base64url"); // big-endian, no sign byte
  const e = Buffer.from(jwk.e, "base64url");
  const digest = crypto.createHash("sha1").update(Buffer.concat([tlBytes(n), tlBytes(e)])).digest();
  const fingerprint = digest.readBigInt64LE(12).toString();
  RSA._serverKeys.clear(); // Telegram's own keys must not be what makes the handshake work
  RSA._serverKeys.set(fingerprint, { n: bigInt(n.toString("hex"), 16), e: parseInt(e.toString("hex"), 16) });
  return fingerprint;
}

// --- Handshake: retry GramJS's own 1-in-256 failure -------------------------------------------

const handshakes = { completed: 0, retried: 0, abandoned: 0 };

// GramJS derives auth_key from the minimal-length big-endian g^ab, so when its top byte is zero its
// key differs from the server's and it rejects dh_gen_ok with this message. Only that failure is
// retried: any other handshake error is the server's and must fail the test.
function isNonceHashBug(err) {
  return err instanceof errors.SecurityError && /invalid new nonce hash/.test(err.message);
}

function installHandshakeRetry(abandonFirst) {
  const original = Authenticator.doAuthentication;
  Authenticator.doAuthentication = async (sender, logger) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await original(sender, logger);
        if (abandonFirst && handshakes.abandoned === 0) {
          // The server completed this handshake; throw its key away exactly as the bug would.
          handshakes.abandoned++;
          throw new errors.SecurityError("Step 3 invalid new nonce hash (abandoned on purpose)");
        }
        handshakes.completed++;
        return result;
      } catch (err) {
        if (!isNonceHashBug(err) || attempt >= HANDSHAKE_RETRIES) throw err;
        handshakes.retried++;
        log(`handshake failed (${err.message}); retry ${attempt + 1} of ${HANDSHAKE_RETRIES}`);
      }
    }
  };
}

// --- Addresses: the home DC pinned, the others from dc_options with their ports -----------------

function pinnedConnection(Base, home) {
  return class PinnedConnection extends Base {
    constructor(params) {
      super(params.dcId === home.dc ? { ...params, ip: home.host, port: home.port } : params);
    }
  };
}

function dcFromConfig(client, home) {
  return async (dcId) => {
    if (dcId === home.dc) return { id: dcId, ipAddress: home.host, port: home.port };
    if (!client._config) client._config = await client.invoke(new Api.help.GetConfig());
    // Same choice as GramJS (first IPv4 option of that DC), but with the option's own port.
    const option = client._config.dcOptions.find((o) => o.id === dcId && !o.ipv6 && !o.cdn);
    if (!option) throw new Error(`help.getConfig lists no IPv4 address for DC ${dcId}`);
    return { id: dcId, ipAddress: option.ipAddress, port: option.port };
  };
}

// --- The flow -----------------------------------------------------------------------------------

async function login(client, args, report) {
  const apiCredentials = { apiId: args.apiId, apiHash: args.apiHash };
  if (args.badCode !== undefined) {
    const sent = await client.sendCode(apiCredentials, args.phone);
    try {
      await client.invoke(new Api.auth.SignIn({
        phoneNumber: args.phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: args.badCode,
      }));
      throw new Error("auth.signIn accepted a wrong code");
    } catch (err) {
      if (err.errorMessage !== "PHONE_CODE_INVALID") throw err;
      report.badCodeError = err.errorMessage;
    }
  }
  const sent = await client.sendCode(apiCredentials, args.phone);
  if (!sent.phoneCodeHash) throw new Error("auth.sendCode returned no phone_code_hash");
  const auth = await client.invoke(new Api.auth.SignIn({
    phoneNumber: args.phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: args.code,
  }));
  if (!(auth instanceof Api.auth.Authorization)) throw new Error(`auth.signIn answered ${auth.className}`);
  const me = await client.getMe();
  if (!(me instanceof Api.User)) throw new Error(`users.getUsers answered ${me && me.className}`);
  report.user = {
    id: me.id.toString(), phone: me.phone, firstName: me.firstName, username: me.username,
    self: !!me.self, signInUserId: auth.user.id.toString(),
  };
}

async function resolveChannel(client, username) {
  // Called directly: GramJS's getEntity() refuses names shorter than 5 characters without asking.
  const resolved = await client.invoke(new Api.contacts.ResolveUsername({ username }));
  if (!(resolved.peer instanceof Api.PeerChannel)) throw new Error(`@${username} is not a channel`);
  const channel = resolved.chats.find((c) => c.id.equals(resolved.peer.channelId));
  if (!(channel instanceof Api.Channel)) throw new Error(`@${username}: no channel in the answer`);
  return channel;
}

async function download(client, channel, msgId, path) {
  const [message] = await client.getMessages(channel, { ids: [msgId] });
  if (!(message instanceof Api.Message)) throw new Error(`message ${msgId}: not found`);
  if (!(message.media instanceof Api.MessageMediaDocument)) throw new Error(`message ${msgId}: no document`);
  const doc = message.media.document;
  // Into memory, then written: downloadMedia returns before a file stream it wrote to is flushed.
  const bytes = await client.downloadMedia(message, {});
  if (!Buffer.isBuffer(bytes)) throw new Error(`message ${msgId}: downloadMedia returned no bytes`);
  fs.writeFileSync(path, bytes);
  const fileName = doc.attributes.find((a) => a instanceof Api.DocumentAttributeFilename);
  return {
    msgId, path, size: bytes.length, documentSize: doc.size.toString(), dcId: doc.dcId,
    mimeType: doc.mimeType, fileName: fileName ? fileName.fileName : null,
  };
}

// The transport class of every sender, home ("main") and per DC, to show which one really ran.
async function transportsUsed(client) {
  const name = (sender) => Object.getPrototypeOf(sender._connection.constructor).name;
  const used = { main: name(client._sender) };
  for (const [dcId, promise] of client._exportedSenderPromises) used[dcId] = name(await promise);
  return used;
}

// GramJS only logs a few failures and carries on (an answer it cannot decode is dropped, and the
// request then waits forever): those end the run at once, with GramJS's own message.
let failRun = () => {};
class DriverLogger extends Logger {
  _log(level, message, color) {
    if (/^Type -?\d+ not found/.test(message) || /^Security error while unpacking/.test(message)) {
      failRun(new Error(`GramJS: ${message}`));
    }
    if (level === LogLevel.ERROR || level === LogLevel.WARN) log(`[${level}] ${message}`);
  }
}

async function run(args, report, fail) {
  report.fingerprint = trustServerKey(args.key);
  installHandshakeRetry(args.abandonFirstHandshake);
  const home = { dc: args.dc, host: args.host, port: args.port };
  const session = new MemorySession();
  session.setDC(home.dc, home.host, home.port);
  const Base = args.transport === "obfuscated" ? ConnectionTCPObfuscated : ConnectionTCPFull;
  const client = new TelegramClient(session, args.apiId, args.apiHash, {
    connection: pinnedConnection(Base, home),
    baseLogger: new DriverLogger(LogLevel.ERROR),
    connectionRetries: 1, // no silent reconnect loop: a failed connect fails the run
    requestRetries: 3,
    retryDelay: 0,
    timeout: 30,
    autoReconnect: false,
  });
  client.getDC = dcFromConfig(client, home);
  // GramJS reports connection errors here and then loops; the run fails on the first one instead.
  client.onError = async (err) => fail(err);
  failRun = fail;
  try {
    report.step = "connect";
    if (!(await client.connect())) throw new Error("client.connect() failed");
    report.step = "login";
    await login(client, args, report);
    report.step = "resolve";
    const channel = await resolveChannel(client, args.channel);
    report.channel = { id: channel.id.toString(), title: channel.title, username: channel.username };
    report.downloads = [];
    for (const d of args.downloads) {
      report.step = `download ${d.msgId}`;
      report.downloads.push(await download(client, channel, d.msgId, d.path));
    }
    if (args.forum) {
      // Layer 198 lists topics with channels.getForumTopics (renamed messages.getForumTopics in 220).
      report.step = "forum topics";
      const forum = await resolveChannel(client, args.forum);
      const topics = await client.invoke(new Api.channels.GetForumTopics({ channel: forum, limit: 100 }));
      report.forum = {
        forum: Boolean(forum.forum), count: topics.count,
        topics: topics.topics.map((t) => ({ id: t.id, title: t.title, topMessage: t.topMessage })),
      };
      const byId = await client.invoke(new Api.channels.GetForumTopicsByID({ channel: forum, topics: [report.forum.topics[0].id, 999] }));
      report.forum.byId = byId.topics.map((t) => `${t.className}:${t.id}`);
      const replies = await client.getMessages(forum, { replyTo: report.forum.topics[0].id, limit: 100 });
      report.forum.replies = replies.map((m) => ({ id: m.id, topic: Boolean(m.replyTo && m.replyTo.forumTopic) }));
    }
    report.transports = await transportsUsed(client);
    report.step = "done";
  } finally {
    report.handshakes = handshakes;
    await client.destroy().catch(() => {});
  }
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`driver.js: ${err.message}\n`);
    process.exit(2);
  }
  const report = { layer: LAYER, gramjs: require("telegram/package.json").version, transport: args.transport };
  const finish = (code, err) => {
    if (err) {
      report.error = String(err && err.stack ? err.stack : err);
      log(`failed at step "${report.step}": ${err && err.message ? err.message : err}`);
    }
    fs.writeFileSync(args.report, JSON.stringify(report, null, 2));
    process.exit(code);
  };
  let fail;
  const failed = new Promise((_, reject) => { fail = reject; });
  const watchdog = setTimeout(() => finish(1, new Error(`timed out after ${args.timeoutS} s`)), args.timeoutS * 1000);
  Promise.race([run(args, report, fail), failed])
    .then(() => { clearTimeout(watchdog); finish(0); })
    .catch((err) => { clearTimeout(watchdog); finish(1, err); });
}

main();
