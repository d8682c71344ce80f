#pragma once
// Auth keys the test DC knows, shared by every connection and session that uses them. Like
// Telegram, the layer a client declared with invokeWithLayer and the login bound to the key are
// remembered per key: a new connection on the same key may send upload.getFile right away.
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace testdc {

struct AuthKeyInfo {
  std::uint64_t id = 0;                       // low 64 bits of SHA1(key)
  std::array<std::uint8_t, 256> key{};
  int dc = 0;                                 // the DC it was created on (keys are per DC)
  int layer = 0;                              // 0 until the client sends invokeWithLayer
  std::optional<std::int64_t> user_id;        // set by signIn / checkPassword / importAuthorization / bot login
};

// Thread-safe registry of auth keys by id.
class AuthKeyStore {
 public:
  // Registers a new key; false (and nothing stored) when the id is already taken, which the
  // handshake answers with dh_gen_retry.
  bool insert(const AuthKeyInfo& info);
  std::shared_ptr<AuthKeyInfo> find(std::uint64_t id) const;
  bool contains(std::uint64_t id) const;
  std::size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, std::shared_ptr<AuthKeyInfo>> keys_;
};

}  // namespace testdc
