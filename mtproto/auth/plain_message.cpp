#include "auth/plain_message.hpp"

#include <cstring>
#include <stdexcept>

namespace mtp::auth {
namespace {

template <class T>
T read_le(const std::uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // the protocol is little-endian, as is every host we build for
  return v;
}

template <class T>
void write_le(std::uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

}  // namespace

Bytes encode_plain_message(std::int64_t msg_id, ByteSpan body) {
  if (body.empty() || body.size() % 4 != 0) throw std::invalid_argument("plain message body must be TL (4k bytes)");
  Bytes out(kPlainHeaderSize + body.size());
  write_le<std::int64_t>(out.data(), 0);
  write_le<std::int64_t>(out.data() + 8, msg_id);
  write_le<std::uint32_t>(out.data() + 16, static_cast<std::uint32_t>(body.size()));
  std::memcpy(out.data() + kPlainHeaderSize, body.data(), body.size());
  return out;
}

Result<PlainMessage> decode_plain_message(ByteSpan packet, std::size_t max_trailing) {
  if (packet.size() < kPlainHeaderSize) {
    return Error::local(kErrMalformed, "PLAIN_TRUNCATED",
                        "packet of " + std::to_string(packet.size()) + " bytes is shorter than the plain header");
  }
  if (read_le<std::uint64_t>(packet.data()) != 0) {
    return Error::local(kErrSecurity, "PLAIN_NOT_UNENCRYPTED", "auth_key_id is not 0");
  }
  PlainMessage message;
  message.msg_id = read_le<std::int64_t>(packet.data() + 8);
  const std::size_t length = read_le<std::uint32_t>(packet.data() + 16);
  const std::size_t available = packet.size() - kPlainHeaderSize;
  if (length == 0 || length % 4 != 0 || length > available || available - length > max_trailing) {
    return Error::local(kErrMalformed, "PLAIN_BAD_LENGTH",
                        "message_data_length " + std::to_string(length) + " with " + std::to_string(available) +
                            " bytes after the header");
  }
  message.body = packet.subspan(kPlainHeaderSize, length);
  return message;
}

}  // namespace mtp::auth
