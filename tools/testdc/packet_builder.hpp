#pragma once
// Turns what a session has to say into one encrypted packet: pending acks and queued messages,
// several of them in a msg_container (inner ids first, the container's id last and larger), each
// message written once straight into the frame it is encrypted in.
#include <cstddef>
#include <cstdint>

#include "crypto/message_cipher.hpp"
#include "session_state.hpp"
#include "transport/frame.hpp"

namespace testdc {

struct PacketLimits {
  // Stop adding messages once a packet holds this much (one larger message still goes alone).
  std::size_t soft_max_bytes = (std::size_t{1} << 20) + (64 << 10);
  std::size_t max_messages = 1024;  // Telegram's container limit
};

// Builds the next packet of `session` (acks + as many queued messages as fit). Content-related
// messages are kept as unacknowledged under the msg_id they got. Returns an empty optional when
// there is nothing to send.
// `carries_answer`, when given, is set to whether the packet holds an answer (for the
// replayed-msg-id hostility).
std::optional<mtp::transport::Frame> build_packet(ServerSession& session, const mtp::crypto::MessageCipher& cipher,
                                                  std::int64_t salt, const PacketLimits& limits = {},
                                                  bool* carries_answer = nullptr);

}  // namespace testdc
