#include "crypto/handshake_kdf.hpp"

#include <algorithm>

#include "crypto/aes_ige.hpp"
#include "crypto/sha.hpp"

namespace mtp::crypto {
namespace {

std::uint64_t read_le64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

TmpAesKey tmp_aes_key(const Int256& new_nonce, const Int128& server_nonce) {
  Sha1Digest ns = sha1({new_nonce, server_nonce});
  Sha1Digest sn = sha1({server_nonce, new_nonce});
  Sha1Digest nn = sha1({new_nonce, new_nonce});
  TmpAesKey out;
  auto k = std::copy(ns.begin(), ns.end(), out.key.begin());
  std::copy_n(sn.begin(), 12, k);
  auto v = std::copy(sn.begin() + 12, sn.end(), out.iv.begin());
  v = std::copy(nn.begin(), nn.end(), v);
  std::copy_n(new_nonce.begin(), 4, v);
  return out;
}

std::uint64_t auth_key_id(ByteSpan auth_key) { return read_le64(sha1(auth_key).data() + 12); }

std::uint64_t auth_key_aux_hash(ByteSpan auth_key) { return read_le64(sha1(auth_key).data()); }

Int128 new_nonce_hash(const Int256& new_nonce, std::uint8_t n, std::uint64_t aux_hash) {
  std::uint8_t aux[8];
  for (int i = 0; i < 8; ++i) aux[i] = static_cast<std::uint8_t>(aux_hash >> (8 * i));
  Sha1Digest digest = sha1({new_nonce, ByteSpan(&n, 1), ByteSpan(aux, 8)});
  Int128 out;
  std::copy(digest.begin() + 4, digest.end(), out.begin());
  return out;
}

std::uint64_t initial_server_salt(const Int256& new_nonce, const Int128& server_nonce) {
  return read_le64(new_nonce.data()) ^ read_le64(server_nonce.data());
}

Bytes encrypt_with_hash(const TmpAesKey& key, ByteSpan data, const RandomSource& random) {
  std::size_t unpadded = 20 + data.size();
  Bytes plain((unpadded + 15) / 16 * 16);
  Sha1Digest hash = sha1(data);
  std::copy(hash.begin(), hash.end(), plain.begin());
  std::copy(data.begin(), data.end(), plain.begin() + 20);
  random(MutableByteSpan(plain).subspan(unpadded));
  aes_ige_encrypt(key.key, key.iv, plain, plain);
  return plain;
}

Result<HashedPayload> decrypt_with_hash(const TmpAesKey& key, ByteSpan encrypted) {
  if (encrypted.size() < 32 || encrypted.size() % 16 != 0) {
    return Error::local(kErrSecurity, "BAD_ENCRYPTED_ANSWER", "size is not a positive multiple of 16");
  }
  Bytes plain(encrypted.size());
  aes_ige_decrypt(key.key, key.iv, encrypted, plain);
  HashedPayload out;
  std::copy_n(plain.begin(), 20, out.hash.begin());
  out.body.assign(plain.begin() + 20, plain.end());
  return out;
}

std::optional<std::size_t> find_hashed_length(const HashedPayload& payload) {
  for (std::size_t pad = 0; pad <= kAnswerMaxPadding && pad <= payload.body.size(); ++pad) {
    if (payload.matches(payload.body.size() - pad, kAnswerMaxPadding)) return payload.body.size() - pad;
  }
  return std::nullopt;
}

}  // namespace mtp::crypto
