#pragma once
// How long an answer may take before the request counts as stalled: an adaptive bound from the
// answers a DC's sessions gave recently (RFC 6298's smoothed round trip and its variation, with
// room to spare), never below a floor of a few seconds and never above a cap. The watchdog re-sends
// a request past the bound on another session and recycles the silent connection, so one TCP path
// that goes quiet never holds a download at 99%.
#include <chrono>

namespace tgget::engine {

class LatencyWatch {
 public:
  using Duration = std::chrono::nanoseconds;

  explicit LatencyWatch(Duration floor = std::chrono::seconds(4), Duration cap = std::chrono::seconds(60))
      : floor_(floor), cap_(cap) {}

  // One answer took `elapsed` from request to answer.
  void answered(Duration elapsed);
  // No answer for longer than this: stalled.
  Duration bound() const;
  bool measured() const { return samples_ > 0; }

 private:
  Duration floor_, cap_;
  double srtt_ns_ = 0, rttvar_ns_ = 0;
  long samples_ = 0;
};

}  // namespace tgget::engine
