// Plain lines: the exact transcript of a small batch, a progress line every interval and never
// more, and not one control character whatever the names hold.
#include <catch2/catch.hpp>

#include <sstream>

#include "ui/plain_renderer.hpp"
#include "ui_clock.hpp"

using namespace tgget::ui;
using ui_test::t;

TEST_CASE("plain: a line per start and end, progress every interval") {
  std::ostringstream out;
  PlainRenderer r(out, PlainOptions{std::chrono::seconds(5)});
  r.on_event(FileStarted{1, "a.mp4", 10'000'000, 0}, t(0));
  r.on_event(FileStarted{2, "b.mp4", 20'000'000, 4'000'000}, t(0));
  for (int s = 1; s <= 11; ++s) {
    r.on_event(FileProgress{1, std::min(10'000'000u, s * 1'000'000u)}, t(s));
    r.on_event(FileProgress{2, 4'000'000u + s * 1'000'000u}, t(s));
  }
  r.on_event(FileWaiting{2, 35, "FLOOD_WAIT"}, t(11));
  r.tick(t(12));  // not due: the last progress line was at 10 s
  r.on_event(FileDone{1, "dl/a.mp4", 10'000'000, "00", true, 0}, t(12));
  r.on_event(FileFailed{2, "", "FLOOD_WAIT", "Telegram asks us to wait 35 s", 35.0}, t(13));
  r.on_event(FileSkipped{3, "c.mp4", "already downloaded"}, t(13));
  r.on_event(Summary{1, 1, 1, 10'000'000, 13, 0, 35}, t(13));
  CHECK(out.str() ==
        "start a.mp4 (10.0 MB)\n"
        "start b.mp4 (20.0 MB), resuming at 4.0 MB\n"
        // Due at 5 s and 10 s, with a.mp4's event of that second in and b.mp4's not yet.
        "progress 43.3% 13.0 MB / 30.0 MB, 1.8 MB/s, ETA 0:09, 2 active, 0/2 files finished\n"
        "progress 76.7% 23.0 MB / 30.0 MB, 1.8 MB/s, ETA 0:04, 2 active, 0/2 files finished\n"
        "wait b.mp4: 35 s (FLOOD_WAIT)\n"
        "done dl/a.mp4 (10.0 MB, verified)\n"
        "error b.mp4: Telegram asks us to wait 35 s [FLOOD_WAIT] (retry after 35 s)\n"
        "skipped c.mp4: already downloaded\n"
        "1 done, 1 failed, 1 skipped: 10.0 MB in 0:13 (0.8 MB/s), 35 s waiting for Telegram\n");
}

TEST_CASE("plain: no control characters at all") {
  std::ostringstream out;
  PlainRenderer r(out, PlainOptions{std::chrono::seconds(1)});
  const std::string hostile = "evil\x1b[2J\r\n\x7f\x08\xc2\x9b" "31m\xff.mp4";
  r.on_event(FileStarted{1, hostile, 100, 0}, t(0));
  r.on_event(FileWaiting{1, 3, hostile}, t(0.5));
  r.on_event(FileProgress{1, 50}, t(2));
  r.on_event(FileRetry{1, hostile}, t(2));
  r.print_above("log: " + hostile);
  r.on_event(FileDone{1, hostile, 100, "00", false, 100}, t(3));
  r.on_event(FileSkipped{2, hostile, hostile}, t(3));
  r.on_event(FileFailed{3, hostile, hostile, hostile, std::nullopt}, t(3));
  r.on_event(Summary{1, 1, 1, 100, 3, 1, 3}, t(3));
  const std::string text = out.str();
  CHECK(std::count(text.begin(), text.end(), '\n') == 8);  // a retry has no line of its own
  for (unsigned char c : text) {
    INFO("byte " << int(c));
    CHECK((c == '\n' || (c >= 0x20 && c != 0x7f)));
  }
  CHECK(text.find("\xc2\x9b") == std::string::npos);
  CHECK(text.find("done evil?[2J") != std::string::npos);
  CHECK(text.find("100 B unverified") != std::string::npos);
}

TEST_CASE("errors only: failures and log lines, nothing else") {
  std::ostringstream out;
  ErrorsOnlyRenderer r(out);
  r.on_event(FileStarted{1, "a.mp4", 10, 0}, t(0));
  r.on_event(FileProgress{1, 5}, t(10));
  r.on_event(FileDone{1, "a.mp4", 10, "", true, 0}, t(11));
  r.on_event(FileStarted{2, "b.mp4", 10, 0}, t(11));
  r.on_event(FileFailed{2, "", "CHANNEL_INVALID", "channel @x not found", std::nullopt}, t(12));
  r.on_event(Summary{1, 1, 0, 10, 12, 0, 0}, t(12));
  r.print_above("tgget: warning");
  CHECK(out.str() == "error b.mp4: channel @x not found [CHANNEL_INVALID]\ntgget: warning\n");
}
