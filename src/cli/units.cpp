#include "cli/units.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "cli/civil_time.hpp"
#include "cli/quoted.hpp"

namespace tgget::cli {

namespace {

constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();

mtp::Error invalid(std::string_view type, std::string_view text, std::string why) {
  return mtp::Error::local(mtp::kErrInvalidArgument, std::string(type), fmt::format("{}: {}", quoted(text), why));
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool equals_ignoring_case(std::string_view a, std::string_view lower_case) {
  if (a.size() != lower_case.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower_case[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view take_digits(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && is_digit(s[n])) ++n;
  const std::string_view digits = s.substr(0, n);
  s.remove_prefix(n);
  return digits;
}

// Digits (already checked to be digits) as an int64, or nothing when they do not fit.
std::optional<std::int64_t> to_int64(std::string_view digits) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

constexpr std::int64_t kKi = 1024, kK = 1000;
constexpr std::array<std::pair<std::string_view, std::int64_t>, 14> kSizeUnits{{
    {"", 1}, {"b", 1},
    {"k", kKi}, {"m", kKi * kKi}, {"g", kKi * kKi * kKi}, {"t", kKi * kKi * kKi * kKi},
    {"kib", kKi}, {"mib", kKi * kKi}, {"gib", kKi * kKi * kKi}, {"tib", kKi * kKi * kKi * kKi},
    {"kb", kK}, {"mb", kK * kK}, {"gb", kK * kK * kK}, {"tb", kK * kK * kK * kK},
}};
constexpr std::string_view kSizeForms = "a number of bytes, or a number and K, M, G, T (1024-based), KiB..TiB or KB..TB (1000-based)";

mtp::Result<std::int64_t> size_value(std::string_view type, std::string_view text, std::string_view s) {
  s = trim(s);
  const std::string_view whole = take_digits(s);
  std::string_view fraction;
  if (s.starts_with('.')) {
    s.remove_prefix(1);
    fraction = take_digits(s);
    if (fraction.empty()) return invalid(type, text, "a '.' without digits after it");
  }
  if (whole.empty()) return invalid(type, text, fmt::format("expected {}", kSizeForms));
  const std::string_view unit = trim(s);
  std::int64_t multiplier = 0;
  for (const auto& [name, value] : kSizeUnits) {
    if (equals_ignoring_case(unit, name)) multiplier = value;
  }
  if (multiplier == 0) return invalid(type, text, fmt::format("unknown unit {} (expected {})", quoted(unit), kSizeForms));
  if (fraction.size() > 18) fraction = fraction.substr(0, 18);  // beyond a byte's precision anyway
  const auto whole_value = to_int64(whole);
  if (!whole_value) return invalid(type, text, "too large (at most 2^63-1 bytes)");
  // 128-bit arithmetic: whole * multiplier cannot overflow, nor fraction * multiplier.
  unsigned __int128 bytes = static_cast<unsigned __int128>(*whole_value) * static_cast<unsigned __int128>(multiplier);
  if (!fraction.empty()) {
    unsigned __int128 scale = 1;
    for (std::size_t i = 0; i < fraction.size(); ++i) scale *= 10;
    const unsigned __int128 part = static_cast<unsigned __int128>(*to_int64(fraction)) * static_cast<unsigned __int128>(multiplier);
    if (multiplier == 1 && part % scale != 0) return invalid(type, text, "a fraction of a byte");
    bytes += part / scale;
  }
  if (bytes > static_cast<unsigned __int128>(kMaxInt64)) return invalid(type, text, "too large (at most 2^63-1 bytes)");
  return static_cast<std::int64_t>(bytes);
}

}  // namespace

mtp::Result<std::int64_t> parse_size(std::string_view text) { return size_value("SIZE_INVALID", text, text); }

mtp::Result<std::int64_t> parse_rate(std::string_view text) {
  std::string_view s = trim(text);
  if (s.size() >= 2 && s[s.size() - 2] == '/' && lower(s.back()) == 's') s.remove_suffix(2);
  return size_value("RATE_INVALID", text, s);
}

mtp::Result<Moment> parse_moment(std::string_view text) {
  constexpr std::string_view kType = "DATE_INVALID";
  constexpr std::string_view kForms = "expected YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z] (UTC) or unix seconds";
  std::string_view s = trim(text);
  const std::string_view first = take_digits(s);
  if (s.empty() && !first.empty()) {
    const auto seconds = to_int64(first);
    if (!seconds) return invalid(kType, text, "too large for unix seconds");
    return Moment{*seconds, 1};
  }
  // Fixed-width fields: "-MM", ":SS"... each a separator and exactly two digits.
  const auto field = [&s](char separator, int& out) {
    if (s.size() < 3 || s[0] != separator || !is_digit(s[1]) || !is_digit(s[2])) return false;
    out = (s[1] - '0') * 10 + (s[2] - '0');
    s.remove_prefix(3);
    return true;
  };
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (first.size() != 4 || !field('-', month) || !field('-', day)) return invalid(kType, text, std::string(kForms));
  std::int64_t span = 86400;
  if (!s.empty() && (s[0] == 'T' || s[0] == 't' || s[0] == ' ')) {
    s.remove_prefix(1);
    if (s.size() < 2 || !is_digit(s[0]) || !is_digit(s[1])) return invalid(kType, text, std::string(kForms));
    hour = (s[0] - '0') * 10 + (s[1] - '0');
    s.remove_prefix(2);
    if (!field(':', minute)) return invalid(kType, text, "a time needs minutes (HH:MM)");
    span = 60;
    if (field(':', second)) span = 1;
  }
  if (!s.empty() && (s[0] == 'Z' || s[0] == 'z')) s.remove_prefix(1);
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    return invalid(kType, text, "only UTC is accepted: convert to UTC and write Z (or nothing)");
  }
  if (!s.empty()) return invalid(kType, text, fmt::format("unexpected {} ({})", quoted(s), kForms));
  const std::int64_t year = *to_int64(first);
  if (month < 1 || month > 12) return invalid(kType, text, fmt::format("no month {}", month));
  if (day < 1 || day > days_in_month(year, month)) return invalid(kType, text, fmt::format("no day {} in that month", day));
  if (hour > 23 || minute > 59 || second > 59) return invalid(kType, text, "no such time of day");
  const std::int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return Moment{seconds, span};
}

mtp::Result<std::chrono::seconds> parse_duration(std::string_view text) {
  constexpr std::string_view kType = "DURATION_INVALID";
  constexpr std::string_view kForms = "expected seconds, or a number and s, m, h or d (\"30s\", \"5m\", \"1h30m\")";
  std::string_view s = trim(text);
  if (s.empty()) return invalid(kType, text, std::string(kForms));
  std::int64_t total = 0;
  while (!s.empty()) {
    const std::string_view digits = take_digits(s);
    if (digits.empty()) return invalid(kType, text, std::string(kForms));
    std::int64_t unit = 1;
    if (!s.empty()) {
      switch (lower(s[0])) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: return invalid(kType, text, fmt::format("unknown unit {} ({})", quoted(s.substr(0, 1)), kForms));
      }
      s.remove_prefix(1);
    } else if (total != 0) {
      return invalid(kType, text, "a number without a unit after another one (\"1h30\": write \"1h30m\")");
    }
    const auto value = to_int64(digits);
    if (!value || *value > (kMaxInt64 - total) / unit) return invalid(kType, text, "too long");
    total += *value * unit;
  }
  return std::chrono::seconds(total);
}

namespace {

constexpr std::array<std::pair<std::string_view, MediaType>, 8> kMediaTypes{{
    {"video", MediaType::kVideo}, {"audio", MediaType::kAudio}, {"photo", MediaType::kPhoto},
    {"document", MediaType::kDocument}, {"voice", MediaType::kVoice}, {"round", MediaType::kRound},
    {"sticker", MediaType::kSticker}, {"animation", MediaType::kAnimation},
}};
constexpr std::string_view kMediaTypeList = "video, audio, photo, document, voice, round, sticker, animation";

}  // namespace

std::string_view to_string(MediaType type) {
  for (const auto& [name, value] : kMediaTypes) {
    if (value == type) return name;
  }
  return "unknown";
}

mtp::Result<MediaTypes> parse_media_types(std::string_view list) {
  constexpr std::string_view kType = "TYPE_INVALID";
  MediaTypes types;
  std::string_view rest = list;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view item = trim(rest.substr(0, comma));
    if (item.empty()) return invalid(kType, list, fmt::format("an empty media type (valid: {})", kMediaTypeList));
    bool known = false;
    for (const auto& [name, value] : kMediaTypes) {
      if (equals_ignoring_case(item, name)) types.add(value), known = true;
    }
    if (!known) return invalid(kType, list, fmt::format("unknown media type {} (valid: {})", quoted(item), kMediaTypeList));
    if (comma == std::string_view::npos) return types;
    rest.remove_prefix(comma + 1);
  }
}

}  // namespace tgget::cli
