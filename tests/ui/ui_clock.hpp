#pragma once
// Injected time for the renderer tests: t(1.5) is 1.5 s after an arbitrary origin.
#include <chrono>

#include "ui/events.hpp"

namespace ui_test {

inline tgget::ui::TimePoint t(double seconds) {
  return tgget::ui::TimePoint{} + std::chrono::duration_cast<tgget::ui::Clock::duration>(
                                      std::chrono::duration<double>(seconds + 1000.0));
}

}  // namespace ui_test
