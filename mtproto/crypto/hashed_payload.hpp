#pragma once
// A SHA-1 followed by data and padding whose split is unknown until the caller has parsed the
// data: the legacy RSA plaintext of req_DH_params and the answer_with_hash of (server|client)_DH_inner_data.
#include "core/bytes.hpp"
#include "crypto/sha.hpp"

namespace mtp::crypto {

struct HashedPayload {
  Sha1Digest hash{};  // the SHA-1 the sender put in front
  Bytes body;  // data + padding
  // True when SHA1(body[0:data_len]) equals the hash and the padding after it is at most
  // max_padding bytes. Parse TL from body, then call this with the number of bytes consumed.
  bool matches(std::size_t data_len, std::size_t max_padding) const;
};

}  // namespace mtp::crypto
