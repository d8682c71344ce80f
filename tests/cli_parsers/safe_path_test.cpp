// The path safety pieces on their own: field and component sanitising, extension-keeping
// truncation, the final relative-path check, and clash suffixes.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "cli/safe_path.hpp"
#include "cli/unique_name.hpp"

using namespace tgget::cli;

TEST_CASE("sanitize_field replaces separators, control characters and invalid UTF-8") {
  CHECK(sanitize_field("a/b\\c") == "a_b_c");
  CHECK(sanitize_field(std::string("a\0b", 3)) == "a_b");
  CHECK(sanitize_field("tab\there\x7f") == "tab_here_");
  CHECK(sanitize_field("\xff\xfe") == "__");
  CHECK(sanitize_field("\xE2\x82") == "__");              // a truncated 3-byte sequence
  CHECK(sanitize_field("\xED\xA0\x80") == "___");         // a UTF-16 surrogate
  CHECK(sanitize_field("\xF4\x90\x80\x80") == "____");    // above U+10FFFF
  CHECK(sanitize_field("caf\xC3\xA9 \xF0\x9F\x8E\xAC") == "caf\xC3\xA9 \xF0\x9F\x8E\xAC");  // UTF-8 kept
  CHECK(sanitize_field("a\u2066b\u200Fc") == "a_b_c");    // bidi isolate and mark
  CHECK(sanitize_field("..") == "..");                    // dots are a component's business
}

TEST_CASE("sanitize_component trims, replaces dot-only names and limits the length") {
  CHECK(sanitize_component(".") == "_");
  CHECK(sanitize_component("..") == "_");
  CHECK(sanitize_component("......") == "_");
  CHECK(sanitize_component("") == "_");
  CHECK(sanitize_component("name. ") == "name");
  CHECK(sanitize_component(".hidden") == "_hidden");  // never a hidden file
  CHECK(sanitize_component("../../.bashrc") == "_._.._.bashrc");
  CHECK(sanitize_component(". .x") == "_ .x");
  CHECK(sanitize_component("a.hidden") == "a.hidden");
  CHECK(sanitize_component("a/b") == "a_b");
  constexpr std::size_t kMax = kMaxComponentBytes;
  const std::string cut = sanitize_component(std::string(kMax - 1, 'x') + " .y");  // kMax + 2 bytes
  CHECK(cut.size() == kMax);
  CHECK(cut == std::string(kMax - 2, 'x') + ".y");  // the stem gives way, the extension stays
  const std::string spaces = sanitize_component(std::string(kMax - 1, 'x') + std::string(10, ' ') + "z");
  CHECK(spaces == std::string(kMax - 1, 'x'));  // the cut ended in spaces: trimmed
}

TEST_CASE("truncate_keeping_extension cuts on a character boundary") {
  CHECK(truncate_keeping_extension("short.mp4", 255) == "short.mp4");
  CHECK(truncate_keeping_extension("abcdef.mp4", 8) == "abcd.mp4");
  CHECK(truncate_keeping_extension("\xE2\x82\xAC\xE2\x82\xAC.mp4", 9) == "\xE2\x82\xAC.mp4");  // not half a euro
  CHECK(truncate_keeping_extension("abcdef", 3) == "abc");
  const std::string long_extension = "name." + std::string(40, 'e');  // not an extension: cut as a name
  CHECK(truncate_keeping_extension(long_extension, 10) == long_extension.substr(0, 10));
  CHECK(split_extension("archive.tar.gz") == std::pair<std::string_view, std::string_view>("archive.tar", ".gz"));
  CHECK(split_extension(".bashrc").second.empty());
  CHECK(split_extension("README").second.empty());
}

TEST_CASE("check_relative_path refuses what would leave the target directory") {
  CHECK(check_relative_path("a/b/c.mp4").ok());
  CHECK(check_relative_path(".hidden/..a/b..").ok());
  for (const std::string bad : {"", "/etc/passwd", "../x", "a/../b", "a/..", "./a", "a//b", "a/", "a/\x01"}) {
    INFO(bad);
    const auto status = check_relative_path(bad);
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().type == "PATH_UNSAFE");
  }
  CHECK_FALSE(check_relative_path(std::string(kMaxComponentBytes + 1, 'x')).ok());
  CHECK(check_relative_path(std::string(kMaxComponentBytes, 'x')).ok());
  CHECK_FALSE(check_relative_path(std::string("a\0b", 3)).ok());
}

TEST_CASE("unique_name adds (1), (2)... before the extension") {
  std::set<std::string> taken;
  const NameTaken is_taken = [&](const std::string& p) { return taken.count(p) > 0; };
  CHECK(*unique_name("dir/video.mp4", is_taken) == "dir/video.mp4");
  taken = {"dir/video.mp4"};
  CHECK(*unique_name("dir/video.mp4", is_taken) == "dir/video (1).mp4");
  taken = {"dir/video.mp4", "dir/video (1).mp4", "dir/video (2).mp4"};
  CHECK(*unique_name("dir/video.mp4", is_taken) == "dir/video (3).mp4");
  taken = {"README"};
  CHECK(*unique_name("README", is_taken) == "README (1)");
  taken = {".bashrc"};
  CHECK(*unique_name(".bashrc", is_taken) == ".bashrc (1)");
  taken = {"a.tar.gz"};
  CHECK(*unique_name("a.tar.gz", is_taken) == "a.tar (1).gz");
}

TEST_CASE("unique_name keeps a long name within the component limit and gives up after max_attempts") {
  const std::string name = std::string(kMaxComponentBytes - 4, 'n') + ".mp4";
  const NameTaken first_taken = [&](const std::string& p) { return p == name; };
  const auto free = unique_name(name, first_taken);
  REQUIRE(free.ok());
  CHECK(free->size() == kMaxComponentBytes);
  CHECK(free->ends_with(" (1).mp4"));
  const NameTaken all_taken = [](const std::string&) { return true; };
  const auto none = unique_name("x.mp4", all_taken, 5);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().type == "NAME_CLASH");
  CHECK_THAT(none.error().detail, Catch::Contains("5 other files"));
}
