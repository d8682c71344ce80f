#pragma once
// The unencrypted envelope of the auth-key handshake (core.telegram.org/mtproto/description,
// "Unencrypted Message"): auth_key_id = 0 (8) | msg_id (8) | message_data_length (4) | message_data.
#include <cstddef>
#include <cstdint>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace mtp::auth {

inline constexpr std::size_t kPlainHeaderSize = 20;

struct PlainMessage {
  std::int64_t msg_id = 0;
  ByteSpan body;  // a view into the decoded packet
};

// The envelope around one TL body. The body must be a non-empty multiple of 4 bytes (programmer
// error otherwise: every TL object is).
Bytes encode_plain_message(std::int64_t msg_id, ByteSpan body);

// Checks auth_key_id == 0, a length that is a positive multiple of 4 and covers the rest of the
// packet exactly. `max_trailing` bytes after the body are tolerated: the padded intermediate
// transport appends up to 15 random bytes the MTProto layer must ignore.
// Errors: kErrMalformed (PLAIN_TRUNCATED, PLAIN_BAD_LENGTH), kErrSecurity (PLAIN_NOT_UNENCRYPTED:
// an encrypted message where a plain one was expected).
Result<PlainMessage> decode_plain_message(ByteSpan packet, std::size_t max_trailing = 0);

}  // namespace mtp::auth
