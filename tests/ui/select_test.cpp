// --progress auto|bar|plain|none with -q, --json, a terminal or not: which renderer runs.
#include <catch2/catch.hpp>

#include <sstream>

#include "ui/select.hpp"
#include "ui_clock.hpp"

using namespace tgget::ui;
using ui_test::t;

TEST_CASE("progress modes parse") {
  CHECK(parse_progress_mode("auto") == ProgressMode::kAuto);
  CHECK(parse_progress_mode("bar") == ProgressMode::kBar);
  CHECK(parse_progress_mode("plain") == ProgressMode::kPlain);
  CHECK(parse_progress_mode("none") == ProgressMode::kNone);
  CHECK_FALSE(parse_progress_mode("lines"));
  CHECK_FALSE(parse_progress_mode(""));
}

TEST_CASE("auto is the bar on a terminal and plain lines elsewhere, -q and --json win") {
  CHECK(effective_mode({.mode = ProgressMode::kAuto, .err_is_terminal = true}) == ProgressMode::kBar);
  CHECK(effective_mode({.mode = ProgressMode::kAuto, .err_is_terminal = false}) == ProgressMode::kPlain);
  CHECK(effective_mode({.mode = ProgressMode::kBar, .err_is_terminal = false}) == ProgressMode::kBar);
  CHECK(effective_mode({.mode = ProgressMode::kPlain, .err_is_terminal = true}) == ProgressMode::kPlain);
  CHECK(effective_mode({.mode = ProgressMode::kBar, .quiet = true}) == ProgressMode::kNone);
  CHECK(effective_mode({.mode = ProgressMode::kBar, .json = true, .err_is_terminal = true}) == ProgressMode::kNone);
}

TEST_CASE("the chosen renderer writes where it should") {
  auto run = [](OutputChoice c) {
    std::ostringstream out, err;
    auto r = make_renderer(c, out, err);
    r->on_event(FileStarted{1, "a.mp4", 10, 0}, t(0));
    r->on_event(FileFailed{1, "a.mp4", "X", "broken", std::nullopt}, t(1));
    r->print_above("log");
    return std::pair(out.str(), err.str());
  };
  auto [out, err] = run({.mode = ProgressMode::kAuto, .err_is_terminal = true, .no_color = true});
  CHECK(out.empty());
  CHECK(err.find("\x1b[") != std::string::npos);
  CHECK(err.find("\x1b[31m") == std::string::npos);  // NO_COLOR
  std::tie(out, err) = run({.mode = ProgressMode::kAuto, .err_is_terminal = true});
  CHECK(err.find("\x1b[31merror a.mp4: broken") != std::string::npos);
  std::tie(out, err) = run({.mode = ProgressMode::kAuto});
  CHECK(out.empty());
  CHECK(err == "start a.mp4 (10 B)\nerror a.mp4: broken [X]\nlog\n");
  std::tie(out, err) = run({.quiet = true});
  CHECK(err == "error a.mp4: broken [X]\nlog\n");
  std::tie(out, err) = run({.json = true, .err_is_terminal = true});
  CHECK(err == "error a.mp4: broken [X]\nlog\n");
  CHECK(std::count(out.begin(), out.end(), '\n') == 2);
  CHECK(out.find("\"type\":\"error\"") != std::string::npos);
}
