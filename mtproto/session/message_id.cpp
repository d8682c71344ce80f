#include "session/message_id.hpp"

namespace mtp::session {

WallClock system_wall_clock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now().time_since_epoch());
  };
}

MessageIdGenerator::MessageIdGenerator(WallClock clock) : clock_(std::move(clock)) {}

void MessageIdGenerator::sync_with_server_msg_id(std::int64_t server_msg_id) {
  // The server's id holds its time with sub-second precision in the low 32 bits.
  auto server_ns = std::chrono::nanoseconds(
      static_cast<std::int64_t>((static_cast<__int128>(server_msg_id) * 1'000'000'000) >> 32));
  offset_ = server_ns - clock_();
  // Ids that ran ahead of the server's clock were refused (bad_msg_notification 17), so the server
  // holds none of them: follow its clock from now on rather than creeping up from the refused ones.
  const std::int64_t server_now_id = (server_msg_id & ~std::int64_t{3});
  if (last_ > server_now_id) last_ = server_now_id;
}

std::int64_t MessageIdGenerator::server_unixtime() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_() + offset_).count();
}

std::int64_t MessageIdGenerator::next(Role role) {
  auto now = clock_() + offset_;
  std::int64_t ns = now.count();
  std::int64_t seconds = ns / 1'000'000'000;
  std::int64_t fraction = ns % 1'000'000'000;
  std::int64_t id = (seconds << 32) | ((fraction << 32) / 1'000'000'000);

  std::int64_t remainder = role == Role::client ? 0 : role == Role::server_response ? 1 : 3;
  id = (id & ~std::int64_t{3}) | remainder;
  if (id <= last_) {
    // Same tick or a clock step backwards: continue from the previous id.
    id = ((last_ + 4) & ~std::int64_t{3}) | remainder;
  }
  last_ = id;
  return id;
}

}  // namespace mtp::session
