#pragma once
// Server salts per auth key. Like Telegram, a salt is valid for a 30-minute period and still
// accepted for the next one; the salt the handshake produced is valid during its first hour. Salts
// are derived from (key id, period, secret), so get_future_salts can list salts that will really
// be accepted later without storing them.
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace testdc {

class SaltBook {
 public:
  static constexpr std::int64_t kPeriod = 1800;  // seconds a salt is current

  explicit SaltBook(std::uint64_t secret) : secret_(secret) {}

  // The handshake's salt (new_nonce[0:8] XOR server_nonce[0:8]) for a new key created at `now_s`.
  void add_initial(std::uint64_t key_id, std::int64_t salt, std::int64_t now_s);

  // The salt the server hands out now (bad_server_salt, new_session_created).
  std::int64_t current(std::uint64_t key_id, std::int64_t now_s) const;
  bool valid(std::uint64_t key_id, std::int64_t salt, std::int64_t now_s) const;

  struct Future {
    std::int32_t valid_since;
    std::int32_t valid_until;
    std::int64_t salt;
  };
  // get_future_salts: `count` (1..64) salts starting with the current one.
  std::vector<Future> future(std::uint64_t key_id, std::int64_t now_s, int count) const;

 private:
  std::int64_t for_period(std::uint64_t key_id, std::int64_t period) const;

  struct Initial {
    std::int64_t salt;
    std::int64_t until_s;
  };
  std::uint64_t secret_;
  std::unordered_map<std::uint64_t, Initial> initial_;
};

}  // namespace testdc
