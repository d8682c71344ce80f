// Inputs the crypto (and handshake) tests share: seeded random bytes, the counting auth key, and the auth key of
// the handshake vector (FACTS.md / VECTORS.md) that the DH and key-derivation tests both check.
#pragma once

#include <array>
#include <cstdint>
#include <random>

#include "core/bytes.hpp"

namespace crypto_test {

inline mtp::Bytes random_bytes(std::mt19937_64& rng, std::size_t n) {
  mtp::Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

// Bytes 0, 1, ..., 255.
inline std::array<std::uint8_t, 256> counting_auth_key() {
  std::array<std::uint8_t, 256> key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  return key;
}

inline constexpr const char* kVectorAuthKey =
    "ACA2547BAA3B4B3E6AD9129ADEE796042FC4ACAAABA40DCE7A1196640595829E2BA85C5E68E5D2B7B713B28720CCD0E6"
    "5DA3B80CD8A9282BDE895755B924F4CBBCED119DEE057D3066D7095C25771A53D9AD6EC3464EE0E7FE1A4D9851F17B6C"
    "C7D6E636E0BDEA7D66153CF37005835A528E65673C1F5ADAA27465964BA89AA6FD045108B25B1DC9AB2D979864858C9E"
    "ACBFA4A399CDBF2154D2CC6743C5CAA40683343D80A36C7F1289DC5AC5EE585DEA1E1CD296444EA6CD8F6C3564B2D355"
    "B310A3C02608EEA5EC36D38E941BF811489AB7A24C069E44FF54714CB4A45EEE2F310FDDC0A1B08BD3DFF8801E27C850"
    "8EFD7AD51EF3C13EF1D9A02EE4601741";

}  // namespace crypto_test
