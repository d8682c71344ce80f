// Sizes, speeds, durations, names made safe for a terminal and cut to a width, the summary.
#include <catch2/catch.hpp>

#include "ui/text.hpp"

using namespace tgget::ui;

TEST_CASE("sizes speeds durations and ETAs") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(999) == "999 B");
  CHECK(format_bytes(1500) == "1.5 kB");
  CHECK(format_bytes(12'345'678) == "12.3 MB");
  CHECK(format_bytes(4'000'000'000) == "4.00 GB");
  CHECK(format_speed(std::nullopt) == "--- MB/s");
  CHECK(format_speed(2.5e6) == "2.5 MB/s");
  CHECK(format_duration(7) == "0:07");
  CHECK(format_duration(754) == "12:34");
  CHECK(format_duration(3723) == "1:02:03");
  CHECK(format_eta(10'000'000, 1e6) == "0:10");
  CHECK(format_eta(10, std::nullopt) == "--:--");
  CHECK(format_eta(10, 0.0) == "--:--");
  CHECK(format_eta(0, std::nullopt) == "0:00");
}

TEST_CASE("names from Telegram cannot carry terminal controls") {
  CHECK(printable("video.mp4") == "video.mp4");
  CHECK(printable("a\x1b[2Jb") == "a?[2Jb");
  CHECK(printable("line\nfake\rx\x7f") == "line?fake?x?");
  CHECK(printable("\xc2\x9b" "31m") == "??31m");  // C1 CSI
  CHECK(printable("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(printable("bad\xff\xc3") == "bad??");
}

TEST_CASE("truncation counts code points and marks the cut") {
  CHECK(truncate_to("short", 10) == "short");
  CHECK(truncate_to("exactly10!", 10) == "exactly10!");
  CHECK(truncate_to("a-very-long-name.mp4", 10) == "a-very-lo…");
  CHECK(truncate_to("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3) == "\xc3\xa9\xc3\xa9…");
  CHECK(columns_of("\xc3\xa9\xc3\xa9…") == 3);
}

TEST_CASE("summary sentence") {
  CHECK(summary_text(Summary{3, 0, 0, 30'000'000, 10, 0, 0}) == "3 done: 30.0 MB in 0:10 (3.0 MB/s)");
  CHECK(summary_text(Summary{3, 1, 2, 456'700'000, 12.3, 4, 35}) ==
        "3 done, 1 failed, 2 skipped: 456.7 MB in 0:12 (37.1 MB/s), 4 retries, 35 s waiting for Telegram");
  CHECK(summary_text(Summary{0, 0, 1, 0, 0, 1, 0}) == "0 done, 1 skipped: 0 B in 0:00 (--- MB/s), 1 retry");
}
