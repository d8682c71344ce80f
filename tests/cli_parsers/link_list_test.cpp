// parse_link_list: aria2's -i format with comments, out= options, bad lines reported with their
// numbers and skipped (the rest kept), CRLF and a BOM.
#include <catch2/catch.hpp>

#include <string>

#include "cli/link_list.hpp"

using tgget::cli::parse_link_list;

TEST_CASE("links, blank lines, comments and out= options") {
  const auto list = parse_link_list(
      "# my downloads\n"
      "t.me/durov/1\n"
      "  out=first.mp4\n"
      "\n"
      "   \n"
      "https://t.me/c/1234567890/5-9\n"
      "\tout=videos/private.mkv\n"
      "  # an indented comment\n"
      "@durov\n");
  CHECK(list.errors.empty());
  REQUIRE(list.items.size() == 3);
  CHECK(list.items[0].text == "t.me/durov/1");
  CHECK(list.items[0].link.to_string() == "t.me/durov/1");
  CHECK(list.items[0].out == "first.mp4");
  CHECK(list.items[0].line == 2);
  CHECK(list.items[1].link.to_string() == "t.me/c/1234567890/5-9");
  CHECK(list.items[1].out == "videos/private.mkv");
  CHECK(list.items[1].line == 6);
  CHECK(list.items[2].link.to_string() == "t.me/durov");
  CHECK_FALSE(list.items[2].out);
  CHECK(list.items[2].line == 9);
}

TEST_CASE("a bad line is reported with its number and skipped with its options, the rest kept") {
  const auto list = parse_link_list(
      "t.me/durov/1\n"
      "t.me/joinchat/AAAA\n"
      "  out=never.mp4\n"
      "t.me/durov/0\n"
      "t.me/durov/3\n"
      "  out=three.mp4\n");
  REQUIRE(list.items.size() == 2);
  CHECK(list.items[0].link.to_string() == "t.me/durov/1");
  CHECK_FALSE(list.items[0].out);
  CHECK(list.items[1].link.to_string() == "t.me/durov/3");
  CHECK(list.items[1].out == "three.mp4");
  CHECK(list.items[1].line == 5);
  REQUIRE(list.errors.size() == 2);  // the out= under the invite link is not reported again
  CHECK(list.errors[0].line == 2);
  CHECK_THAT(list.errors[0].error.detail, Catch::Contains("an invite link, not a message"));
  CHECK(list.errors[1].line == 4);
  CHECK_THAT(list.errors[1].error.detail, Catch::Contains("message id 0"));
}

TEST_CASE("bad option lines are reported and the link keeps what was valid") {
  const auto list = parse_link_list(
      "  out=orphan.mp4\n"         // 1: no link above
      "t.me/durov/1\n"             // 2
      "  dir=/tmp\n"               // 3: another aria2 option
      "  just words\n"             // 4: not key=value
      "  out=../../etc/passwd\n"   // 5: escapes the target directory
      "  out=/etc/passwd\n"        // 6: absolute
      "  out=\n"                   // 7: empty
      "  out=ok.mp4\n"             // 8
      "  out=again.mp4\n");        // 9: twice
  REQUIRE(list.items.size() == 1);
  CHECK(list.items[0].out == "ok.mp4");
  REQUIRE(list.errors.size() == 7);
  const std::vector<std::pair<std::size_t, std::string>> expected = {
      {1, "no link above it"},
      {3, "unsupported option \"dir\""},
      {4, "must be an option such as out=NAME"},
      {5, "a \"..\" component"},
      {6, "an absolute path"},
      {7, "an empty path"},
      {9, "out= given twice for the link on line 2"},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(expected[i].second);
    CHECK(list.errors[i].line == expected[i].first);
    CHECK_THAT(list.errors[i].error.detail, Catch::Contains(expected[i].second));
  }
}

TEST_CASE("CRLF line ends, a BOM at the start, a last line without a newline") {
  const auto list = parse_link_list("\xEF\xBB\xBFt.me/durov/1\r\n  out=a.mp4\r\n# note\r\nt.me/durov/2");
  CHECK(list.errors.empty());
  REQUIRE(list.items.size() == 2);
  CHECK(list.items[0].text == "t.me/durov/1");
  CHECK(list.items[0].out == "a.mp4");
  CHECK(list.items[1].text == "t.me/durov/2");
  CHECK(list.items[1].line == 4);
}

TEST_CASE("a BOM elsewhere than at the start is not skipped") {
  const auto list = parse_link_list("t.me/durov/1\n\xEF\xBB\xBFt.me/durov/2\n");
  REQUIRE(list.items.size() == 1);
  REQUIRE(list.errors.size() == 1);
  CHECK(list.errors[0].line == 2);
}

TEST_CASE("a note after the link, an empty list, only comments") {
  const auto noted = parse_link_list("t.me/durov/1   # the first one\n");
  CHECK(noted.errors.empty());
  REQUIRE(noted.items.size() == 1);
  CHECK(noted.items[0].link.to_string() == "t.me/durov/1");
  const auto empty = parse_link_list("");
  CHECK(empty.items.empty());
  CHECK(empty.errors.empty());
  const auto comments = parse_link_list("# a\n\n#b\r\n");
  CHECK(comments.items.empty());
  CHECK(comments.errors.empty());
}
