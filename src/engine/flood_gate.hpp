#pragma once
// FLOOD_WAIT_X as Telegram means it: the method is closed on that DC for X seconds, for every
// request, not only the one that was refused. Pure bookkeeping; the scheduler asks open_at() before
// each request and sends nothing earlier.
#include <chrono>
#include <map>
#include <string>
#include <utility>

namespace tgget::engine {

class FloodGate {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // FLOOD_WAIT_`wait` for `method` on `dc`, received at `now`. A shorter wait never shortens a
  // longer one already in force.
  void hold(int dc, const std::string& method, TimePoint now, std::chrono::seconds wait);
  // When `method` may go to `dc` again; a time in the past (or now) means "now".
  TimePoint open_at(int dc, const std::string& method) const;
  bool open(int dc, const std::string& method, TimePoint now) const { return open_at(dc, method) <= now; }

 private:
  std::map<std::pair<int, std::string>, TimePoint> closed_until_;
};

}  // namespace tgget::engine
