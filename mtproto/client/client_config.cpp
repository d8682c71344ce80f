#include "client/client_config.hpp"

#include <fmt/format.h>

#include "crypto/builtin_keys.hpp"

namespace mtp::client {

Result<std::vector<crypto::RsaPublicKey>> trusted_keys(const ClientConfig& config) {
  const std::string_view pem =
      config.test_server ? std::string_view(config.test_server->rsa_public_key_pem) : crypto::telegram_production_key().pem;
  auto key = crypto::parse_rsa_public_key_pem(pem);
  if (!key) {
    Error e = std::move(key).error();
    e.detail = "the server's RSA public key: " + e.detail;
    return e;
  }
  return std::vector<crypto::RsaPublicKey>{std::move(*key)};
}

std::string network_identity(const ClientConfig& config) {
  if (!config.test_server) return "production";
  auto keys = trusted_keys(config);
  const std::uint64_t fingerprint = keys ? keys->front().fingerprint() : 0;
  // The key, not the address: a test server restarted on other ports is still the same network.
  return fmt::format("test:{:016x}", fingerprint);
}

}  // namespace mtp::client
