#pragma once
// MTProto message identifiers: unixtime * 2^32 plus a fractional part, strictly increasing per
// session. Clients use ids divisible by 4; servers use 1 mod 4 for responses and 3 mod 4 otherwise.
// The clock is passed in so that tests can move time backwards and forwards.
#include <chrono>
#include <cstdint>
#include <functional>

namespace mtp::session {

using WallClock = std::function<std::chrono::nanoseconds()>;  // time since the Unix epoch

WallClock system_wall_clock();

class MessageIdGenerator {
 public:
  enum class Role { client, server_response, server_other };

  explicit MessageIdGenerator(WallClock clock = system_wall_clock());

  // Seconds to add to the local clock to get the server's; learned from the handshake's
  // server_time and from bad_msg_notification 16/17 (the server's msg_id carries its time).
  void set_server_offset(std::chrono::nanoseconds offset) { offset_ = offset; }
  std::chrono::nanoseconds server_offset() const { return offset_; }
  // Resynchronises from a message id the server produced (bad_msg_notification 16/17). When our
  // ids ran ahead of the server's time they go back to it: the server refused those ids anyway.
  void sync_with_server_msg_id(std::int64_t server_msg_id);

  // Next id: derived from corrected time, never equal to or below the previous one even when the
  // clock jumps backwards or the offset shrinks.
  std::int64_t next(Role role = Role::client);

  // Server time in seconds as this generator sees it.
  std::int64_t server_unixtime() const;

 private:
  WallClock clock_;
  std::chrono::nanoseconds offset_{0};
  std::int64_t last_ = 0;
};

// The time (seconds) a message id encodes.
inline std::int64_t msg_id_unixtime(std::int64_t msg_id) { return msg_id >> 32; }

}  // namespace mtp::session
