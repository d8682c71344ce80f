#include "packet_builder.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include "tl/container.hpp"
#include "tl/mtproto.hpp"
#include "recorder.hpp"

namespace testdc {

namespace {

struct Placed {
  OutMessage message;
  std::int64_t msg_id = 0;
  std::int32_t seq_no = 0;
};

std::uint8_t* put32(std::uint8_t* p, std::uint32_t v) {
  std::memcpy(p, &v, 4);
  return p + 4;
}
std::uint8_t* put64(std::uint8_t* p, std::int64_t v) {
  std::memcpy(p, &v, 8);
  return p + 8;
}
std::uint8_t* put_body(std::uint8_t* p, const OutMessage& m) {
  std::memcpy(p, m.head.data(), m.head.size());
  p += m.head.size();
  if (m.tail) {
    std::memcpy(p, m.tail->data(), m.tail->size());
    p += m.tail->size();
  }
  return p;
}

}  // namespace

std::optional<mtp::transport::Frame> build_packet(ServerSession& session, const mtp::crypto::MessageCipher& cipher,
                                                  std::int64_t salt, const PacketLimits& limits,
                                                  bool* carries_answer) {
  std::vector<Placed> placed;
  std::size_t body_bytes = 0;
  if (session.has_pending_acks()) {
    mtp::tl::mt::msgs_ack ack;
    ack.msg_ids = session.take_acks();
    OutMessage m;
    m.head = mtp::tl::serialize(ack);
    m.content_related = false;
    body_bytes += m.size();
    placed.push_back(Placed{std::move(m)});
  }
  auto& outbox = session.outbox();
  while (!outbox.empty() && placed.size() < limits.max_messages) {
    const std::size_t next = outbox.front().size();
    if (!placed.empty() && body_bytes + next > limits.soft_max_bytes) break;
    body_bytes += next;
    placed.push_back(Placed{std::move(outbox.front())});
    outbox.pop_front();
  }
  if (placed.empty()) return std::nullopt;

  // Ids and seq_nos in sending order; a container's id comes after those of its messages.
  for (auto& p : placed) {
    p.msg_id = p.message.forced_msg_id != 0 ? p.message.forced_msg_id : session.next_msg_id(p.message.is_answer);
    p.seq_no = session.next_seq_no(p.message.content_related);
  }
  const bool container = placed.size() > 1;
  std::int64_t top_id = placed.front().msg_id;
  std::int32_t top_seq = placed.front().seq_no;
  std::size_t top_size = placed.front().message.size();
  if (container) {
    top_id = session.next_msg_id(false);
    top_seq = session.next_seq_no(false);
    top_size = 8;  // id + count
    for (const auto& p : placed) top_size += mtp::tl::container_entry_size(p.message.size());
  }

  const std::size_t plaintext_size = mtp::crypto::kPlaintextHeaderSize + top_size;
  mtp::transport::Frame frame(mtp::crypto::encrypted_message_size(plaintext_size));
  std::uint8_t* p = frame.payload().data() + mtp::crypto::kEncryptedHeaderSize;
  p = put64(p, salt);
  p = put64(p, session.session_id());
  p = put64(p, top_id);
  p = put32(p, static_cast<std::uint32_t>(top_seq));
  p = put32(p, static_cast<std::uint32_t>(top_size));
  if (container) {
    p = put32(p, mtp::tl::kMsgContainerId);
    p = put32(p, static_cast<std::uint32_t>(placed.size()));
    for (const auto& m : placed) {
      p = put64(p, m.msg_id);
      p = put32(p, static_cast<std::uint32_t>(m.seq_no));
      p = put32(p, static_cast<std::uint32_t>(m.message.size()));
      p = put_body(p, m.message);
    }
  } else {
    p = put_body(p, placed.front().message);
  }
  record("sout", static_cast<std::uint64_t>(session.session_id()),
         frame.payload().subspan(mtp::crypto::kEncryptedHeaderSize, plaintext_size));
  auto encrypted = cipher.encrypt_in_place(frame.payload(), plaintext_size);
  if (!encrypted) return std::nullopt;  // cannot happen: the frame was sized for it
  record("wout", static_cast<std::uint64_t>(session.session_id()), *encrypted);

  if (carries_answer) {
    *carries_answer = std::any_of(placed.begin(), placed.end(), [](const Placed& m) { return m.message.is_answer; });
  }
  for (auto& m : placed) {
    if (m.message.content_related && !m.message.decoy) session.track_unacked(m.msg_id, std::move(m.message));
  }
  return frame;
}

}  // namespace testdc
