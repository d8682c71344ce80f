#include "crypto/message_key.hpp"

#include <cstring>

#include "crypto/sha.hpp"

namespace mtp::crypto {

Int128 compute_msg_key(AuthKeySpan auth_key, ByteSpan plaintext_with_padding, Direction direction) {
  const std::size_t x = static_cast<std::size_t>(direction);
  const Sha256Digest large = sha256({auth_key.subspan(88 + x, 32), plaintext_with_padding});
  Int128 msg_key;
  std::memcpy(msg_key.data(), large.data() + 8, msg_key.size());
  return msg_key;
}

MessageAesKey derive_message_aes_key(AuthKeySpan auth_key, std::span<const std::uint8_t, 16> msg_key,
                                     Direction direction) {
  const std::size_t x = static_cast<std::size_t>(direction);
  const Sha256Digest a = sha256({msg_key, auth_key.subspan(x, 36)});
  const Sha256Digest b = sha256({auth_key.subspan(40 + x, 36), msg_key});
  MessageAesKey out;
  std::memcpy(out.key.data(), a.data(), 8);
  std::memcpy(out.key.data() + 8, b.data() + 8, 16);
  std::memcpy(out.key.data() + 24, a.data() + 24, 8);
  std::memcpy(out.iv.data(), b.data(), 8);
  std::memcpy(out.iv.data() + 8, a.data() + 8, 16);
  std::memcpy(out.iv.data() + 24, b.data() + 24, 8);
  return out;
}

}  // namespace mtp::crypto
