#pragma once
// Telegram's RSA public keys, compiled in so the client trusts them without any file.
#include <cstdint>
#include <string_view>

namespace mtp::crypto {

struct BuiltinRsaKey {
  std::uint64_t fingerprint;  // Telegram fingerprint of the key, checked by a test
  std::string_view pem;       // PKCS#1 "BEGIN RSA PUBLIC KEY"
};

// The production DCs' key (0xd09d1d85de64fd85).
const BuiltinRsaKey& telegram_production_key();
// The key of Telegram's own test DCs (0xb25898df208d2603), for --test-dc style use; not our test DC.
const BuiltinRsaKey& telegram_test_dc_key();

}  // namespace mtp::crypto
