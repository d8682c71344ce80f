#include "ui/speed_window.hpp"

namespace tgget::ui {

void SpeedWindow::add(TimePoint now, std::uint64_t bytes) {
  if (!samples_.empty() && bytes < samples_.back().bytes) samples_.clear();
  samples_.push_back({now, bytes});
  // Keep one sample older than the span, so the window always covers the whole span.
  while (samples_.size() > 2 && now - samples_[1].at >= span_) samples_.pop_front();
}

std::optional<double> SpeedWindow::bytes_per_second() const {
  if (samples_.size() < 2) return std::nullopt;
  const auto& first = samples_.front();
  const auto& last = samples_.back();
  const double seconds = std::chrono::duration<double>(last.at - first.at).count();
  if (seconds < 0.2) return std::nullopt;
  return static_cast<double>(last.bytes - first.bytes) / seconds;
}

}  // namespace tgget::ui
