// The sliding window: the speed of the last seconds, not of the whole run.
#include <catch2/catch.hpp>

#include "ui/speed_window.hpp"
#include "ui_clock.hpp"

using namespace tgget::ui;
using ui_test::t;

TEST_CASE("speed window follows the recent rate") {
  SpeedWindow w(std::chrono::seconds(5));
  CHECK_FALSE(w.bytes_per_second());
  w.add(t(0), 0);
  CHECK_FALSE(w.bytes_per_second());
  w.add(t(0.1), 1000);
  CHECK_FALSE(w.bytes_per_second());  // 100 ms says nothing yet
  for (int s = 1; s <= 10; ++s) w.add(t(s), s * 1'000'000);
  CHECK(*w.bytes_per_second() == Approx(1e6));
  // It stalls: after the window has passed without bytes the speed falls to zero.
  w.add(t(16), 10'000'000);
  CHECK(*w.bytes_per_second() < 2e5);
  w.add(t(30), 10'000'000);
  CHECK(*w.bytes_per_second() == Approx(0));
}

TEST_CASE("speed window restarts when the count goes back") {
  SpeedWindow w;
  w.add(t(0), 5'000'000);
  w.add(t(1), 6'000'000);
  w.add(t(2), 100);  // a part plan was reset
  CHECK_FALSE(w.bytes_per_second());
  w.add(t(3), 2'000'100);
  CHECK(*w.bytes_per_second() == Approx(2e6));
}
