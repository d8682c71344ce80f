#pragma once
// A scripted server for the sans-io ClientSession: seals messages with a MessageCipher in the
// server role and opens the client's packets (containers unfolded, bodies copied).
#include <chrono>
#include <cstring>
#include <vector>

#include "crypto/message_cipher.hpp"
#include "crypto/random.hpp"
#include "session/client_session.hpp"
#include "session/message_id.hpp"
#include "tl/container.hpp"
#include "tl/mtproto.hpp"

namespace session_test {

using namespace mtp;
using namespace std::chrono_literals;

struct FakeClock {
  std::chrono::nanoseconds now = std::chrono::seconds(1'700'000'000);
  session::WallClock fn() {
    return [this] { return now; };
  }
};

inline std::array<std::uint8_t, 256> test_auth_key(std::uint64_t seed = 7) {
  std::array<std::uint8_t, 256> key{};
  crypto::seeded_random(seed)(key);
  return key;
}

struct ClientMessage {
  std::int64_t msg_id = 0;
  std::int32_t seq_no = 0;
  Bytes body;
  std::uint32_t id() const { return tl::object_id(body); }
};

struct ClientPacket {
  std::int64_t salt = 0;
  std::int64_t session_id = 0;
  std::int64_t msg_id = 0;  // outer (container or single message)
  std::int32_t seq_no = 0;
  bool container = false;
  std::vector<ClientMessage> messages;
  const ClientMessage* find(std::uint32_t id) const {
    for (const auto& m : messages)
      if (m.id() == id) return &m;
    return nullptr;
  }
};

class ScriptedServer {
 public:
  ScriptedServer(const std::array<std::uint8_t, 256>& key, std::int64_t session_id, FakeClock& clock)
      : cipher_(key, crypto::MessageCipher::Role::kServer, crypto::seeded_random(99)),
        ids_(clock.fn()),
        session_id_(session_id) {}

  // Server clock ahead of (or behind) the client's fake clock.
  void set_offset(std::chrono::nanoseconds offset) { ids_.set_server_offset(offset); }
  void set_session_id(std::int64_t id) { session_id_ = id; }
  std::int64_t next_id(bool response = true) {
    return ids_.next(response ? session::MessageIdGenerator::Role::server_response
                              : session::MessageIdGenerator::Role::server_other);
  }

  ClientPacket open(transport::Frame& frame) { return open_bytes(frame.payload()); }
  ClientPacket open_bytes(ByteSpan payload) {
    Bytes copy(payload.begin(), payload.end());
    auto d = cipher_.decrypt_in_place(copy);
    REQUIRE(d.ok());
    ClientPacket p;
    p.salt = d->salt;
    p.session_id = d->session_id;
    p.msg_id = d->msg_id;
    p.seq_no = d->seq_no;
    if (tl::object_id(d->body) == tl::kMsgContainerId) {
      p.container = true;
      auto inner = tl::parse_container(d->body);
      REQUIRE(inner.ok());
      for (const auto& m : *inner) p.messages.push_back({m.msg_id, m.seqno, Bytes(m.body.begin(), m.body.end())});
    } else {
      p.messages.push_back({d->msg_id, d->seq_no, Bytes(d->body.begin(), d->body.end())});
    }
    return p;
  }

  // One encrypted message to the client.
  Bytes seal(ByteSpan body, std::int32_t seq_no, std::int64_t msg_id = 0, std::int64_t salt = 1) {
    if (msg_id == 0) msg_id = next_id();
    tl::Writer w;
    w.int64(salt);
    w.int64(session_id_);
    w.int64(msg_id);
    w.int32(seq_no);
    w.uint32(static_cast<std::uint32_t>(body.size()));
    w.raw(body);
    Bytes plain = w.take();
    Bytes out(crypto::encrypted_message_size(plain.size()));
    auto sealed = cipher_.encrypt(plain, out);
    REQUIRE(sealed.ok());
    out.resize(sealed->size());
    return out;
  }

  template <class T>
  static Bytes obj(const T& value) { return tl::serialize(value); }
  static Bytes rpc_result(std::int64_t req_msg_id, ByteSpan result) {
    tl::Writer w;
    tl::write_rpc_result(w, req_msg_id, result);
    return w.take();
  }
  static Bytes rpc_error(std::int64_t req_msg_id, int code, std::string_view message) {
    return rpc_result(req_msg_id, tl::serialize(tl::mt::rpc_error{code, std::string(message)}));
  }
  Bytes container(std::vector<std::pair<std::int32_t, Bytes>> messages, std::vector<std::int64_t>* ids = nullptr) {
    std::vector<tl::MessageView> views;
    for (auto& [seq, body] : messages) {
      views.push_back({next_id(), seq, body});
      if (ids) ids->push_back(views.back().msg_id);
    }
    tl::Writer w;
    tl::write_container(w, views);
    return w.take();
  }

 private:
  crypto::MessageCipher cipher_;
  session::MessageIdGenerator ids_;
  std::int64_t session_id_;
};

}  // namespace session_test
