#include "session/outgoing_batch.hpp"

#include <cstring>

#include "tl/container.hpp"

namespace mtp::session {

bool BatchPlanner::try_add(std::size_t body_size) {
  if (closed_) return false;
  const bool big = body_size >= limits_.alone_threshold;
  if (count_ == 0) {
    count_ = 1;
    container_bytes_ += tl::container_entry_size(body_size);
    closed_ = big;
    return true;
  }
  if (big || count_ >= limits_.max_messages) return false;
  const std::size_t grown = container_bytes_ + tl::container_entry_size(body_size);
  if (grown > limits_.max_container_bytes) return false;
  container_bytes_ = grown;
  ++count_;
  return true;
}

std::size_t message_data_size(std::span<const OutgoingMessage> messages) {
  if (messages.size() == 1) return messages[0].body.size();
  std::size_t n = 8;
  for (const auto& m : messages) n += tl::container_entry_size(m.body.size());
  return n;
}

namespace {

std::uint8_t* put(std::uint8_t* at, const void* p, std::size_t n) {
  std::memcpy(at, p, n);
  return at + n;
}

}  // namespace

Result<transport::Frame> seal_packet(const crypto::MessageCipher& cipher, const PlaintextHeader& header,
                                     std::span<const OutgoingMessage> messages) {
  if (messages.empty()) return Error::local(kErrInvalidArgument, "EMPTY_PACKET", "no messages to seal");
  const std::size_t data_size = message_data_size(messages);
  const std::size_t plaintext_size = crypto::kPlaintextHeaderSize + data_size;
  transport::Frame frame(crypto::encrypted_message_size(plaintext_size));
  std::uint8_t* at = frame.payload().data() + crypto::kEncryptedHeaderSize;
  const auto length = static_cast<std::uint32_t>(data_size);
  at = put(at, &header.salt, 8);
  at = put(at, &header.session_id, 8);
  at = put(at, &header.msg_id, 8);
  at = put(at, &header.seq_no, 4);
  at = put(at, &length, 4);
  if (messages.size() == 1) {
    put(at, messages[0].body.data(), messages[0].body.size());
  } else {
    const std::uint32_t id = tl::kMsgContainerId;
    const auto count = static_cast<std::uint32_t>(messages.size());
    at = put(at, &id, 4);
    at = put(at, &count, 4);
    for (const auto& m : messages) {
      const auto bytes = static_cast<std::uint32_t>(m.body.size());
      at = put(at, &m.msg_id, 8);
      at = put(at, &m.seq_no, 4);
      at = put(at, &bytes, 4);
      at = put(at, m.body.data(), m.body.size());
    }
  }
  auto sealed = cipher.encrypt_in_place(frame.payload(), plaintext_size);
  if (!sealed) return std::move(sealed).error();
  return frame;
}

}  // namespace mtp::session
