#include "server_keys.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace testdc {

namespace {

mtp::Status write_file(const std::filesystem::path& path, const std::string& text, bool secret) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  const auto tmp = std::filesystem::path(path.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (secret) ::chmod(tmp.c_str(), 0600);
    out << text;
    if (!out) return mtp::Error::local(mtp::kErrIo, "WRITE_FAILED", tmp.string());
  }
  std::filesystem::rename(tmp, path, ec);  // atomic: a crash never leaves half a key behind
  if (ec) return mtp::Error::local(mtp::kErrIo, "WRITE_FAILED", path.string() + ": " + ec.message());
  return {};
}

}  // namespace

mtp::Result<mtp::crypto::RsaPrivateKey> load_or_create_key(const std::filesystem::path& private_pem) {
  std::ifstream in(private_pem, std::ios::binary);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    return mtp::crypto::RsaPrivateKey::from_pem(text.str());
  }
  auto key = mtp::crypto::RsaPrivateKey::generate(2048);
  if (!key) return key.error();
  MTP_TRY(write_file(private_pem, key->private_pem(), true));
  return key;
}

mtp::Status write_public_key(const mtp::crypto::RsaPrivateKey& key, const std::filesystem::path& public_pem) {
  return write_file(public_pem, key.public_pem(true), false);
}

}  // namespace testdc
