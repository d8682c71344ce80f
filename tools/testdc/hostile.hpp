#pragma once
// What the --hostile switches (hostility.hpp) do on the wire, without I/O. Each is deterministic:
//
//   decoys (msg-id-past, msg-id-future, nested-container, lying-bytes, huge-vector, gzip-bomb):
//     messages queued just ahead of a real answer. The first successful answer to each distinct
//     query (auth.* methods spared: a repeated auth.signIn is not the same call) gets one decoy,
//     the enabled kinds taking turns. A decoy names the same req_msg_id as the answer behind it:
//       msg-id-past / -future  a WRONG answer (upload.file: its bytes inverted; anything else:
//                              rpc_error 400 HOSTILE_DECOY) under a msg_id 600 s in the past /
//                              120 s in the future of the server's clock
//       nested-container       the wrong answer in a msg_container inside a msg_container
//       lying-bytes            upload.file (anything else: gzip_packed) whose bytes field claims
//                              16 MiB - 1 (the most TL can say) in a message of a few bytes
//       huge-vector            the answer with its first vector's count set to 2^31 - 1, cut short
//                              (no vector in it: a bare vector header with that count)
//       gzip-bomb              gzip_packed of 1 GiB of zeros (about 1 MiB packed)
//     Decoys are never resent (OutMessage::decoy), so a client that refuses a packet whole gets
//     the real answer again on its next connection, without the decoy.
//   msg-key-mismatch: encrypted packets 3, 8, 13, ... of the server run go out damaged, the msg_key
//     and the ciphertext in turn. Counted over the whole server, not per connection: a per-connection
//     position would hit the same answer on every new connection (the first request after a
//     reconnect is answered in the same place each time) and never let it through.
//   replayed-msg-id: PacketReplayer, per connection.
//   bad-nonce: the handshake fault HandshakeFault::kBadNonce (server_handshake.hpp).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/bytes.hpp"
#include "hostility.hpp"
#include "session_state.hpp"
#include "transport/frame.hpp"

namespace testdc {

struct Decoy {
  OutMessage message;
  Hostility kind;
};

class HostileServer {
 public:
  explicit HostileServer(Hostilities on) : on_(std::move(on)) {}

  bool on(Hostility h) const { return on_.count(h) != 0; }

  // The decoys to queue just ahead of the successful answer `result` (a boxed object) of `method`
  // to `req_msg_id`; `query` is the innermost request (wrappers stripped), `now_s` the server's clock.
  std::vector<Decoy> decoys(ServerSession& session, std::int64_t req_msg_id, mtp::ByteSpan query,
                            const std::string& method, const mtp::Bytes& result, std::int64_t now_s);

  // msg-key-mismatch: counts `frame`, an encrypted packet about to be sent, and damages it when it
  // is one of those due; returns what was done.
  std::optional<std::string> damage(mtp::transport::Frame& frame);

  // How often each hostility was applied so far (tests, and the server's log).
  int applied(Hostility h) const;
  void note(Hostility h) { ++applied_[h]; }

 private:
  Hostilities on_;
  std::unordered_set<std::uint64_t> answered_;  // queries whose first answer had its decoy
  std::size_t turn_ = 0;
  int packets_ = 0;  // encrypted packets seen by damage()
  int damaged_ = 0;
  std::map<Hostility, int> applied_;
};

// replayed-msg-id, per connection: every other answer packet is sent a second time, byte for byte
// (same msg_ids, same content), just before the next answer packet, i.e. after the client sent
// the request that the next one answers.
class PacketReplayer {
 public:
  // `next` is an answer packet about to be sent (not yet encoded). Returns the copy of an earlier
  // one to send before it, each at most once; when there is none, keeps a copy of `next`.
  std::optional<mtp::transport::Frame> before_answer(const mtp::transport::Frame& next);

 private:
  std::optional<mtp::transport::Frame> held_;
};

// A gzip stream of 1 GiB of zeros (about 1 MiB), made once without ever holding the 1 GiB: after
// a full flush deflate starts afresh, so the block for 1 MiB of zeros is the same each time and
// is simply repeated; the trailer's CRC32 comes from crc32_combine.
inline constexpr std::uint64_t kGzipBombInflatedSize = std::uint64_t{1} << 30;
const mtp::Bytes& gzip_bomb();

}  // namespace testdc
