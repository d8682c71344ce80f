#pragma once
// The client the handshake harness runs, shared with the seed recorder (record/record_handshake.cpp)
// so that recorded server answers echo exactly the nonces the harness draws.
#include <memory>
#include <vector>

#include "auth/client_handshake.hpp"
#include "fuzz_rsa_key.hpp"

namespace tgget::fuzz {

struct HandshakeClient {
  std::shared_ptr<std::vector<mtp::Bytes>> draws = std::make_shared<std::vector<mtp::Bytes>>();
  mtp::crypto::RandomSource seeded = mtp::crypto::seeded_random(11);
  mtp::auth::ClientHandshake client{options()};

  // The nonce is the first draw and new_nonce the second (the first of 32 bytes).
  const mtp::Bytes& nonce() const { return draws->at(0); }
  const mtp::Bytes* new_nonce() const { return draws->size() >= 2 ? &draws->at(1) : nullptr; }

 private:
  mtp::auth::ClientHandshakeOptions options() {
    static const auto key = *mtp::crypto::parse_rsa_public_key_pem(kPublicKeyPem);
    mtp::auth::ClientHandshakeOptions o;
    o.dc_id = 2;
    o.trusted_keys = {key};
    o.random = [d = draws, s = seeded](mtp::MutableByteSpan out) {
      s(out);
      d->emplace_back(out.begin(), out.end());
    };
    o.clock = [] { return std::chrono::seconds(1'764'000'000); };
    return o;
  }
};

}  // namespace tgget::fuzz
