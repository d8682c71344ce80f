// The live display: exact frames, at most one per 100 ms, cursor-up/erase between frames, lasting
// lines above the live ones, names cut to the width, colours only when asked, the summary last.
#include <catch2/catch.hpp>

#include <sstream>

#include "ui/bar_renderer.hpp"
#include "ui/text.hpp"
#include "ui_clock.hpp"

using namespace tgget::ui;
using ui_test::t;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// The text without CSI sequences, as the terminal shows it.
std::string visible(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && !(text[i] >= '@' && text[i] <= '~')) ++i;
      continue;
    }
    if (text[i] != '\r') out += text[i];
  }
  return out;
}

struct Bar {
  std::ostringstream out;
  BarRenderer bar;
  explicit Bar(BarOptions o = {.width = 72, .color = false}) : bar(out, o) {}
  std::string take() {
    std::string s = out.str();
    out.str({});
    return s;
  }
};

}  // namespace

TEST_CASE("bar: the first frame is one line per file and a total line") {
  Bar b;
  b.bar.on_event(FileStarted{1, "video.mp4", 10'000'000, 0}, t(0));
  CHECK(b.take() ==
        "video.mp4                                   0.0%   --- MB/s  ETA --:--\n"
        "total 0/1 files  0 B / 10.0 MB    0.0%  --- MB/s  ETA --:--\n");
}

TEST_CASE("bar: at most one frame per 100 ms and each erases the last") {
  Bar b;
  b.bar.on_event(FileStarted{1, "video.mp4", 10'000'000, 0}, t(0));
  b.take();
  b.bar.on_event(FileProgress{1, 500'000}, t(0.05));
  CHECK(b.take().empty());
  b.bar.on_event(FileProgress{1, 1'000'000}, t(0.5));  // 1 MB in the last 0.5 s: 2 MB/s
  b.bar.on_event(FileProgress{1, 2'000'000}, t(1.0));
  CHECK(b.take() ==
        "\x1b[2A\r\x1b[J"
        "video.mp4                                   10.0%   2.0 MB/s  ETA 0:05\n"
        "total 0/1 files  1.0 MB / 10.0 MB   10.0%  2.0 MB/s  ETA 0:05\n"
        "\x1b[2A\r\x1b[J"
        "video.mp4                                   20.0%   2.0 MB/s  ETA 0:04\n"
        "total 0/1 files  2.0 MB / 10.0 MB   20.0%  2.0 MB/s  ETA 0:04\n");
  // A burst of 1000 events within one second: at most 10 frames.
  for (int i = 1; i <= 1000; ++i) b.bar.on_event(FileProgress{1, 2'000'000 + i * 1000u}, t(1.0 + i / 1000.0));
  CHECK(count(b.take(), "total ") <= 10);
  // Nothing happens for a while: tick() redraws so the speed and ETA move.
  b.bar.tick(t(2.05));
  CHECK(b.take().empty());
  b.bar.tick(t(2.2));
  CHECK(count(b.take(), "total ") == 1);
}

TEST_CASE("bar: finished files stay above the live lines and the summary ends the display") {
  Bar b;
  b.bar.on_event(FileStarted{1, "a.mp4", 1'000'000, 0}, t(0));
  b.bar.on_event(FileStarted{2, "b.mp4", 2'000'000, 0}, t(0.01));  // within 100 ms: no frame
  b.take();
  b.bar.on_event(FileDone{1, "out/a.mp4", 1'000'000, "ab", true, 0}, t(1));
  CHECK(b.take() ==
        "\x1b[2A\r\x1b[J"
        "done out/a.mp4  1.0 MB  verified\n"
        "b.mp4                                       0.0%   --- MB/s  ETA --:--\n"
        "total 1/2 files  1.0 MB / 3.0 MB   33.3%  1.0 MB/s  ETA 0:02\n");
  b.bar.on_event(FileFailed{2, "b.mp4", "FLOOD_WAIT", "Telegram asks us to wait 35 s", 35.0}, t(2));
  CHECK(b.take() ==
        "\x1b[2A\r\x1b[J"
        "error b.mp4: Telegram asks us to wait 35 s (retry after 35 s)\n"
        "total 2/2 files  1.0 MB / 1.0 MB  100.0%  0.5 MB/s  ETA 0:00\n");
  b.bar.on_event(Summary{1, 1, 0, 1'000'000, 2, 3, 0}, t(2.01));  // not throttled: it is the end
  CHECK(b.take() == "\x1b[1A\r\x1b[J1 done, 1 failed: 1.0 MB in 0:02 (0.5 MB/s), 3 retries\n");
  b.bar.on_event(FileProgress{2, 5}, t(5));
  b.bar.tick(t(6));
  CHECK(b.take().empty());
  b.bar.print_above("late log line");
  CHECK(b.take() == "late log line\n");
}

TEST_CASE("bar: lines that wait for the next frame are not lost") {
  Bar b;
  b.bar.on_event(FileStarted{1, "a", 10, 0}, t(0));
  b.bar.on_event(FileDone{1, "a", 10, "", true, 0}, t(0.02));
  CHECK(visible(b.take()).find("done a") == std::string::npos);
  b.bar.tick(t(0.2));
  CHECK(visible(b.take()) == "done a  10 B  verified\ntotal 1/1 files  10 B / 10 B  100.0%  --- MB/s  ETA 0:00\n");
}

TEST_CASE("bar: log lines are printed above the live lines") {
  Bar b;
  b.bar.on_event(FileStarted{1, "video.mp4", 10'000'000, 0}, t(0));
  b.take();
  b.bar.print_above("tgget: reconnecting to DC 2\x1b[2J");
  CHECK(b.take() ==
        "\x1b[2A\r\x1b[J"
        "tgget: reconnecting to DC 2?[2J\n"
        "video.mp4                                   0.0%   --- MB/s  ETA --:--\n"
        "total 0/1 files  0 B / 10.0 MB    0.0%  --- MB/s  ETA --:--\n");
}

TEST_CASE("bar: names are cut to the terminal width and stripped of controls") {
  Bar b({.width = 40, .color = false});
  const std::string name = std::string(100, 'x') + "\x1b[31m.mp4";
  b.bar.on_event(FileStarted{1, name, 10'000'000, 5'000'000}, t(0));
  b.bar.on_event(FileWaiting{1, 35, "FLOOD_WAIT"}, t(0.5));
  b.bar.tick(t(1));
  const std::string text = visible(b.take());
  std::istringstream lines(text);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    CHECK(tgget::ui::columns_of(line) <= 39);
  }
  CHECK(n == 6);  // three frames of two lines
  CHECK(text.find("x…  50.0%  waiting 35 s (FLOOD_WAIT)") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("bar: colours only when asked for") {
  Bar plain({.width = 60, .color = false});
  Bar coloured({.width = 60, .color = true});
  for (Bar* b : {&plain, &coloured}) {
    b->bar.on_event(FileStarted{1, "a", 10, 0}, t(0));
    b->bar.on_event(FileDone{1, "a", 10, "", true, 0}, t(1));
    b->bar.on_event(Summary{1, 0, 0, 10, 1, 0, 0}, t(2));
  }
  const std::string p = plain.take(), c = coloured.take();
  CHECK(p.find("\x1b[3") == std::string::npos);
  CHECK(p.find("\x1b[1m") == std::string::npos);
  CHECK(c.find("\x1b[32mdone a") != std::string::npos);
  CHECK(c.find("\x1b[1m1 done") != std::string::npos);
  CHECK(visible(p) == visible(c));
}

TEST_CASE("bar: many active files fold into one line") {
  Bar b({.width = 60, .color = false, .max_file_lines = 2});
  for (unsigned i = 1; i <= 5; ++i) b.bar.on_event(FileStarted{i, "f" + std::to_string(i), 100, 0}, t(0));
  const std::string text = b.take();
  CHECK(text.find("f1 ") != std::string::npos);
  CHECK(text.find("f2 ") == std::string::npos);  // the others came within 100 ms of the first frame
  b.bar.tick(t(0.2));
  const std::string frame = visible(b.take());
  CHECK(frame.find("f1 ") != std::string::npos);
  CHECK(frame.find("f2 ") != std::string::npos);
  CHECK(frame.find("f3 ") == std::string::npos);
  CHECK(frame.find("... and 3 more\n") != std::string::npos);
}
