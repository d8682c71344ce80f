// --json: every line is one JSON object with its type and fields; progress at most once a second
// per file; nothing else ever reaches the stream.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "ui/json_renderer.hpp"
#include "ui_clock.hpp"

using namespace tgget::ui;
using nlohmann::json;
using ui_test::t;

namespace {

std::vector<json> lines_of(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));  // throws on a non-JSON line
  return out;
}

}  // namespace

TEST_CASE("json: one object per line with the fields of each type") {
  std::ostringstream out;
  JsonRenderer r(out, JsonOptions{});
  r.on_event(FileStarted{7, "a.mp4", 100, 10}, t(0));
  r.on_event(FileProgress{7, 50}, t(0.5));
  r.on_event(FileRetry{7, "stall"}, t(0.6));
  r.on_event(FileWaiting{7, 3, "FLOOD_WAIT"}, t(0.7));
  r.print_above("a log line never reaches stdout");
  r.on_event(FileDone{7, "dl/a.mp4", 100, "ab12", true, 0}, t(1));
  r.on_event(FileSkipped{8, "b.mp4", "already downloaded"}, t(1));
  r.on_event(FileFailed{9, "c.mp4", "FLOOD_WAIT", "wait 35 s", 35.0}, t(1));
  r.on_event(FileFailed{10, "d.mp4", "CHANNEL_INVALID", "not found", std::nullopt}, t(1));
  r.on_event(Summary{1, 2, 1, 100, 1.5, 1, 3}, t(1.5));
  const auto lines = lines_of(out.str());
  REQUIRE(lines.size() == 9);
  CHECK(lines[0] == json{{"type", "start"}, {"id", 7}, {"name", "a.mp4"}, {"size", 100}, {"resumed_bytes", 10}});
  CHECK(lines[1] == json{{"type", "progress"}, {"id", 7}, {"bytes_done", 50}, {"size", 100}});
  CHECK(lines[2] == json{{"type", "retry"}, {"id", 7}, {"reason", "stall"}});
  CHECK(lines[3] == json{{"type", "wait"}, {"id", 7}, {"seconds", 3.0}, {"reason", "FLOOD_WAIT"}});
  CHECK(lines[4] == json{{"type", "done"}, {"id", 7}, {"path", "dl/a.mp4"}, {"size", 100}, {"sha256", "ab12"},
                         {"verified", true}, {"unverified_bytes", 0}});
  CHECK(lines[5] == json{{"type", "skipped"}, {"id", 8}, {"name", "b.mp4"}, {"why", "already downloaded"}});
  CHECK(lines[6] == json{{"type", "error"}, {"id", 9}, {"name", "c.mp4"}, {"code", "FLOOD_WAIT"},
                         {"message", "wait 35 s"}, {"retry_after", 35.0}});
  CHECK(lines[7]["retry_after"].is_null());
  CHECK(lines[8] == json{{"type", "summary"}, {"files_done", 1}, {"files_failed", 2}, {"files_skipped", 1},
                         {"bytes", 100},     {"seconds", 1.5},  {"retries", 1},       {"waited_s", 3.0}});
}

TEST_CASE("json: progress at most once a second per file") {
  std::ostringstream out;
  JsonRenderer r(out, JsonOptions{});
  r.on_event(FileStarted{1, "a", 1'000'000, 0}, t(0));
  r.on_event(FileStarted{2, "b", 1'000'000, 0}, t(0));
  // 100 events a second for each of two files, over 3 seconds.
  for (int i = 0; i < 300; ++i) {
    r.on_event(FileProgress{1, i * 1000u}, t(i / 100.0));
    r.on_event(FileProgress{2, i * 1000u}, t(i / 100.0 + 0.005));
  }
  std::map<std::uint64_t, std::vector<std::uint64_t>> seen;
  for (const auto& j : lines_of(out.str())) {
    if (j["type"] == "progress") seen[j["id"].get<std::uint64_t>()].push_back(j["bytes_done"].get<std::uint64_t>());
  }
  CHECK(seen[1] == std::vector<std::uint64_t>{0, 100'000, 200'000});
  CHECK(seen[2] == std::vector<std::uint64_t>{0, 100'000, 200'000});
}

TEST_CASE("json: a name that is not UTF-8 is still one valid line") {
  std::ostringstream out;
  JsonRenderer r(out, JsonOptions{});
  r.on_event(FileStarted{1, "bad\xff\xfe\nname", 1, 0}, t(0));
  const auto lines = lines_of(out.str());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["name"].get<std::string>().find("bad") == 0);
}
