// The logger: levels, the log file created 0600, lines through the display hook while one runs,
// the protocol library's events bridged and redacted like ours.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/log_sink.hpp"
#include "log/logger.hpp"

namespace fs = std::filesystem;
using namespace tgget;

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path temp_log(const char* name) {
  const fs::path dir = fs::temp_directory_path() / ("tgget-log-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / name;
  fs::remove(p);
  return p;
}

}  // namespace

TEST_CASE("the log file is 0600, has the level's lines only, and never a secret") {
  const auto path = temp_log("a.log");
  { std::ofstream(path) << "old line\n"; }
  fs::permissions(path, fs::perms::all);  // 0777 before: tightened
  REQUIRE(log::init({log::Level::kInfo, path}).ok());
  log::add_secret("s3cr3t-api-hash");
  log::info("settings_read", {{"count", 3}});
  log::debug("not_at_info");
  log::warn("odd", {{"detail", "value s3cr3t-api-hash inside"}, {"password", "pw"}});
  mtp::log_event(mtp::LogLevel::kInfo, "rpc_error", {{"dc", std::int64_t{2}}, {"type", std::string_view("FLOOD_WAIT")}});
  mtp::log_event(mtp::LogLevel::kInfo, "odd", {{"auth_key", std::string_view("deadbeef")}});
  mtp::log_event(mtp::LogLevel::kDebug, "too_chatty", {});
  log::shutdown();
  mtp::log_event(mtp::LogLevel::kWarn, "after_shutdown", {});
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const std::string text = read_all(path);
  CHECK(text.find("old line\n") == 0);  // appended, never truncated
  CHECK(text.find(" info settings_read count=3\n") != std::string::npos);
  CHECK(text.find("not_at_info") == std::string::npos);
  CHECK(text.find(" warning odd detail=\"value <redacted> inside\" password=<redacted>\n") != std::string::npos);
  CHECK(text.find(" info mtproto.rpc_error dc=2 type=FLOOD_WAIT\n") != std::string::npos);
  CHECK(text.find("mtproto.odd auth_key=<redacted>") != std::string::npos);
  CHECK(text.find("deadbeef") == std::string::npos);
  CHECK(text.find("s3cr3t") == std::string::npos);
  CHECK(text.find("too_chatty") == std::string::npos);
  CHECK(text.find("after_shutdown") == std::string::npos);
}

TEST_CASE("stderr lines go through the display hook while a display runs") {
  REQUIRE(log::init({log::level_for_verbosity(2), std::nullopt}).ok());
  std::vector<std::string> lines;
  log::set_display_hook([&](std::string_view line) { lines.emplace_back(line); });
  log::debug("reconnect", {{"dc", 4}});
  log::set_display_hook(nullptr);
  log::shutdown();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "tgget: debug: reconnect dc=4");
}

TEST_CASE("verbosity maps to levels") {
  CHECK(log::level_for_verbosity(0) == log::Level::kWarn);
  CHECK(log::level_for_verbosity(1) == log::Level::kInfo);
  CHECK(log::level_for_verbosity(2) == log::Level::kDebug);
  CHECK(log::level_for_verbosity(5) == log::Level::kDebug);
}
