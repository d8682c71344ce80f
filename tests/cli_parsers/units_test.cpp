// Sizes, rates, dates, durations and media type lists: every accepted spelling and each
// rejection with its message.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cli/units.hpp"

using namespace tgget::cli;

namespace {

template <class T>
struct Case {
  std::string text;
  T expected;
};

struct Bad {
  std::string text;
  std::string words;
};

template <class Parse>
void check_rejections(Parse parse, const std::vector<Bad>& table, std::string_view type) {
  for (const auto& [text, words] : table) {
    INFO(text);
    const auto r = parse(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().type == type);
    CHECK(r.error().code == mtp::kErrInvalidArgument);
    CHECK_THAT(r.error().detail, Catch::Contains(words));
  }
}

constexpr std::int64_t KiB = 1024, MiB = KiB * KiB, GiB = MiB * KiB, TiB = GiB * KiB;

}  // namespace

TEST_CASE("sizes: K, M, G, T are 1024-based, KB, MB, GB, TB 1000-based") {
  const std::vector<Case<std::int64_t>> table = {
      {"0", 0},           {"123", 123},        {"100k", 100 * KiB},   {"100K", 100 * KiB},
      {"5M", 5 * MiB},    {"5m", 5 * MiB},     {"2G", 2 * GiB},       {"1T", TiB},
      {"5MiB", 5 * MiB},  {"5mib", 5 * MiB},   {"1.5GiB", 3 * GiB / 2}, {"1.5G", 3 * GiB / 2},
      {"5MB", 5000000},   {"5mb", 5000000},    {"2KB", 2000},         {"3GB", 3000000000},
      {"1TB", 1000000000000}, {"10B", 10},     {"5 MiB", 5 * MiB},    {" 7M ", 7 * MiB},
      {"0.1K", 102},      {"2.0", 2},          {"8589934591G", 8589934591 * GiB},  // 2^63 - 2^30
      {"9223372036854775807", 9223372036854775807},
      {"1.000000000000000000000001K", 1024},  // digits beyond 18 decimals are dropped
  };
  for (const auto& [text, expected] : table) {
    INFO(text);
    const auto r = parse_size(text);
    REQUIRE(r.ok());
    CHECK(*r == expected);
  }
}

TEST_CASE("sizes: rejections, overflow included") {
  check_rejections(parse_size, {
      {"", "expected a number of bytes"},
      {"M", "expected a number of bytes"},
      {"-5M", "expected a number of bytes"},
      {"5X", "unknown unit \"X\""},
      {"5Mbps", "unknown unit \"Mbps\""},
      {"5.M", "a '.' without digits"},
      {".5M", "expected a number of bytes"},
      {"1.5", "a fraction of a byte"},
      {"9223372036854775808", "too large"},
      {"8589934592G", "too large"},
      {"99999999999999999999999", "too large"},
      {"16777216T", "too large"},
      {"5M5", "unknown unit"},
  }, "SIZE_INVALID");
}

TEST_CASE("rates: a size per second, /s optional, 0 for no limit") {
  CHECK(*parse_rate("5M") == 5 * MiB);
  CHECK(*parse_rate("5M/s") == 5 * MiB);
  CHECK(*parse_rate("500KB/s") == 500000);
  CHECK(*parse_rate("100k/S") == 100 * KiB);
  CHECK(*parse_rate("0") == 0);
  check_rejections(parse_rate, {{"fast", "expected a number"}, {"5M/h", "unknown unit \"M/h\""}, {"/s", "expected"}},
                   "RATE_INVALID");
}

TEST_CASE("dates: UTC calendar forms with their span, and unix seconds") {
  const std::vector<Case<Moment>> table = {
      {"2024-06-01", {1717200000, 86400}},
      {"2024-06-01T12:30", {1717245000, 60}},
      {"2024-06-01T12:30:15", {1717245015, 1}},
      {"2024-06-01T12:30:15Z", {1717245015, 1}},
      {"2024-06-01 12:30Z", {1717245000, 60}},
      {"2024-06-01t12:30:15z", {1717245015, 1}},
      {"2024-06-01Z", {1717200000, 86400}},
      {"2000-02-29", {951782400, 86400}},
      {"1970-01-01", {0, 86400}},
      {"1969-12-31T23:59:59", {-1, 1}},
      {"1717245015", {1717245015, 1}},
      {"0", {0, 1}},
  };
  for (const auto& [text, expected] : table) {
    INFO(text);
    const auto r = parse_moment(text);
    REQUIRE(r.ok());
    CHECK(*r == expected);
  }
}

TEST_CASE("dates: rejections") {
  check_rejections(parse_moment, {
      {"", "expected YYYY-MM-DD"},
      {"yesterday", "expected YYYY-MM-DD"},
      {"24-06-01", "expected YYYY-MM-DD"},
      {"2024-6-1", "expected YYYY-MM-DD"},
      {"2024-13-01", "no month 13"},
      {"2024-00-10", "no month 0"},
      {"2023-02-29", "no day 29 in that month"},
      {"2024-04-31", "no day 31"},
      {"2024-06-00", "no day 0"},
      {"2024-06-01T24:00", "no such time of day"},
      {"2024-06-01T12:60", "no such time of day"},
      {"2024-06-01T12:00:60", "no such time of day"},
      {"2024-06-01T12", "a time needs minutes"},
      {"2024-06-01T12:30+02:00", "only UTC is accepted"},
      {"2024-06-01T12:30-05:00", "only UTC is accepted"},
      {"2024-06-01T12:30:15.5", "unexpected \".5\""},
      {"2024-06-01x", "unexpected \"x\""},
      {"99999999999999999999", "too large for unix seconds"},
      {"-5", "expected YYYY-MM-DD"},
  }, "DATE_INVALID");
}

TEST_CASE("durations: seconds by default, s m h d, combined") {
  const std::vector<Case<std::int64_t>> table = {
      {"30", 30}, {"30s", 30}, {"5m", 300}, {"2h", 7200}, {"1d", 86400}, {"1h30m", 5400},
      {"1d2h3m4s", 93784}, {"0", 0}, {" 10S ", 10}, {"90s", 90},
  };
  for (const auto& [text, expected] : table) {
    INFO(text);
    const auto r = parse_duration(text);
    REQUIRE(r.ok());
    CHECK(r->count() == expected);
  }
  check_rejections(parse_duration, {
      {"", "expected seconds"},
      {"s", "expected seconds"},
      {"5x", "unknown unit \"x\""},
      {"-5", "expected seconds"},
      {"1h30", "a number without a unit after another one"},
      {"1.5h", "unknown unit \".\""},
      {"9223372036854775807d", "too long"},
      {"99999999999999999999", "too long"},
  }, "DURATION_INVALID");
}

TEST_CASE("media types: the list, any case, and an unknown type naming the valid ones") {
  const auto all = parse_media_types("video,audio,photo,document,voice,round,sticker,animation");
  REQUIRE(all.ok());
  for (const auto type : {MediaType::kVideo, MediaType::kAudio, MediaType::kPhoto, MediaType::kDocument,
                          MediaType::kVoice, MediaType::kRound, MediaType::kSticker, MediaType::kAnimation}) {
    INFO(to_string(type));
    CHECK(all->contains(type));
    const auto one = parse_media_types(to_string(type));
    REQUIRE(one.ok());
    CHECK(one->contains(type));
  }
  const auto some = parse_media_types(" Video , AUDIO,video");
  REQUIRE(some.ok());
  CHECK(some->contains(MediaType::kVideo));
  CHECK(some->contains(MediaType::kAudio));
  CHECK_FALSE(some->contains(MediaType::kPhoto));
  CHECK_FALSE(some->empty());
  check_rejections(parse_media_types, {
      {"videos", "unknown media type \"videos\" (valid: video, audio, photo, document, voice, round, sticker, animation)"},
      {"video,,audio", "an empty media type"},
      {"", "an empty media type"},
      {"video,", "an empty media type"},
  }, "TYPE_INVALID");
}
