#include "crypto/hashed_payload.hpp"

#include <openssl/crypto.h>

namespace mtp::crypto {

bool HashedPayload::matches(std::size_t data_len, std::size_t max_padding) const {
  if (data_len > body.size() || body.size() - data_len > max_padding) return false;
  Sha1Digest actual = sha1(ByteSpan(body).first(data_len));
  return CRYPTO_memcmp(actual.data(), hash.data(), actual.size()) == 0;
}

}  // namespace mtp::crypto
