#pragma once
// The test DC's RSA key: loaded from a PEM file, or generated and saved there on first start
// (mode 0600), plus the public half in PKCS#1 ("BEGIN RSA PUBLIC KEY"), the form Telethon's
// rsa.add_key and our client read.
#include <filesystem>

#include "core/result.hpp"
#include "crypto/rsa.hpp"

namespace testdc {

mtp::Result<mtp::crypto::RsaPrivateKey> load_or_create_key(const std::filesystem::path& private_pem);
// Writes the public key next to where clients are told to find it.
mtp::Status write_public_key(const mtp::crypto::RsaPrivateKey& key, const std::filesystem::path& public_pem);

}  // namespace testdc
