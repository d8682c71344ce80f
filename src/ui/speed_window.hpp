#pragma once
// Bytes per second over the last few seconds (not since the start: a download that was waiting
// for a minute shows its speed now, and the ETA follows it).
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

#include "ui/events.hpp"

namespace tgget::ui {

class SpeedWindow {
 public:
  explicit SpeedWindow(std::chrono::milliseconds span = std::chrono::seconds(5)) : span_(span) {}

  // `bytes` is the running total (it may only grow; a smaller value restarts the window).
  void add(TimePoint now, std::uint64_t bytes);
  // nullopt until two samples at least 200 ms apart exist: no made-up speed from one sample.
  std::optional<double> bytes_per_second() const;

 private:
  struct Sample {
    TimePoint at;
    std::uint64_t bytes;
  };
  std::chrono::milliseconds span_;
  std::deque<Sample> samples_;
};

}  // namespace tgget::ui
