#pragma once
// Server salts: the current one plus the future salts the server announced (get_future_salts).
// The server rotates salts about every 30 minutes and still accepts the previous one for a while, so
// switching to the next announced salt when the current one expires avoids a bad_server_salt
// round trip; bad_server_salt / new_session_created simply replace the current salt.
#include <cstdint>
#include <vector>

namespace mtp::session {

struct FutureSalt {
  std::int32_t valid_since = 0;
  std::int32_t valid_until = 0;
  std::int64_t salt = 0;
};

class SaltStore {
 public:
  explicit SaltStore(std::int64_t initial = 0) : current_(initial) {}

  // A salt the server told us to use now (bad_server_salt, new_session_created, handshake).
  void set_current(std::int64_t salt);
  // Announced salts; merged with the ones already known, sorted by valid_since.
  void add_future(const std::vector<FutureSalt>& salts);

  // The salt to send at server time `now` (seconds): the newest announced salt valid at `now`, or
  // the current one when none is. Drops announced salts that have expired.
  std::int64_t salt_for(std::int64_t now);

  // True when fewer than `min_ahead` announced salts remain valid after `now`: time to ask for more.
  bool wants_more(std::int64_t now, std::size_t min_ahead = 2) const;
  std::size_t future_count() const { return future_.size(); }

 private:
  std::int64_t current_;
  std::vector<FutureSalt> future_;
};

}  // namespace mtp::session
