#pragma once
// Packing queued messages into one encrypted packet: a single message goes as is, several go in a
// msg_container (at most 1024 messages and a bounded total size). A big payload (an uploaded file
// part) always travels alone so it never delays, or is delayed by, small requests.
#include <cstdint>
#include <span>

#include "core/result.hpp"
#include "crypto/message_cipher.hpp"
#include "transport/frame.hpp"

namespace mtp::session {

struct BatchLimits {
  std::size_t max_messages = 1024;              // protocol limit for msg_container
  std::size_t max_container_bytes = 512 * 1024; // serialized container size bound
  std::size_t alone_threshold = 64 * 1024;      // bodies at least this big are sent alone
};

// Decides which messages go into the next packet, in queue order.
class BatchPlanner {
 public:
  explicit BatchPlanner(BatchLimits limits) : limits_(limits) {}
  // True (and counted) when a message with a body of `body_size` bytes can join; false means
  // "stop here, it goes into a later packet". The first message is always accepted.
  bool try_add(std::size_t body_size);
  std::size_t count() const { return count_; }

 private:
  BatchLimits limits_;
  std::size_t count_ = 0;
  std::size_t container_bytes_ = 8;  // id + count
  bool closed_ = false;
};

struct OutgoingMessage {
  std::int64_t msg_id = 0;
  std::int32_t seq_no = 0;
  ByteSpan body;  // boxed object
};

struct PlaintextHeader {
  std::int64_t salt = 0;
  std::int64_t session_id = 0;
  std::int64_t msg_id = 0;  // of the single message, or of the container
  std::int32_t seq_no = 0;
};

// message_data size for these messages: the body of a single one, or the container holding them.
std::size_t message_data_size(std::span<const OutgoingMessage> messages);

// Writes the plaintext (header, then the single body or a container) straight into a transport
// frame and encrypts it there: the only copy of each body is the one into the frame.
Result<transport::Frame> seal_packet(const crypto::MessageCipher& cipher, const PlaintextHeader& header,
                                     std::span<const OutgoingMessage> messages);

}  // namespace mtp::session
