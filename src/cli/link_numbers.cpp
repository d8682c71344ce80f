#include "cli/link_numbers.hpp"

#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "cli/quoted.hpp"

namespace tgget::cli {

namespace {

mtp::Error problem(std::string why) { return mtp::Error::local(mtp::kErrInvalidArgument, "LINK_INVALID", std::move(why)); }

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Digits only: from_chars alone would accept a '-' sign.
mtp::Result<std::int64_t> parse_positive(std::string_view digits, std::string_view what, std::int64_t max) {
  if (!all_digits(digits)) return problem(fmt::format("{} is not a {}", quoted(digits), what));
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value > static_cast<std::uint64_t>(max)) {
    return problem(fmt::format("{} {} is too large (at most {})", what, quoted(digits), max));
  }
  if (value == 0) return problem(fmt::format("{} 0 does not exist (ids start at 1)", what));
  return static_cast<std::int64_t>(value);
}

}  // namespace

mtp::Result<std::int32_t> parse_message_id(std::string_view digits, std::string_view what) {
  auto value = parse_positive(digits, what, std::numeric_limits<std::int32_t>::max());
  if (!value) return std::move(value).error();
  return static_cast<std::int32_t>(*value);
}

mtp::Result<std::int64_t> parse_channel_id(std::string_view digits) {
  if (digits.starts_with("-100")) {
    return problem(fmt::format("{} is a Bot API chat id: a t.me/c/ link takes the channel id without -100",
                               quoted(digits)));
  }
  return parse_positive(digits, "channel id", kMaxChannelId);
}

mtp::Result<MessageSelection> parse_selection(std::string_view text) {
  using Kind = MessageSelection::Kind;
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    auto id = parse_message_id(text, "message id");
    if (!id) return std::move(id).error();
    return MessageSelection{Kind::kOne, *id, 0};
  }
  if (dash == 0) return problem(fmt::format("{} is not a message id or range (FIRST-LAST or FIRST-)", quoted(text)));
  auto first = parse_message_id(text.substr(0, dash), "message id");
  if (!first) return std::move(first).error();
  const std::string_view rest = text.substr(dash + 1);
  if (rest.empty()) return MessageSelection{Kind::kFrom, *first, 0};
  auto last = parse_message_id(rest, "message id");
  if (!last) return std::move(last).error();
  if (*first > *last) return problem(fmt::format("range {}-{} is reversed (write {}-{})", *first, *last, *last, *first));
  return MessageSelection{Kind::kRange, *first, *last};
}

}  // namespace tgget::cli
