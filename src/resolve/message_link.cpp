#include "message_link.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace tgget {

namespace {

mtp::Error invalid(std::string_view text, std::string why) {
  return mtp::Error::local(mtp::kErrInvalidArgument, "LINK_INVALID", "\"" + std::string(text) + "\": " + why);
}

bool strip_prefix(std::string_view& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  s.remove_prefix(prefix.size());
  return true;
}

// Telegram's rule for public usernames: 5..32 of [A-Za-z0-9_], a letter first (a few old or
// collectible ones are shorter, so 4 is accepted).
bool valid_username(std::string_view u) {
  if (u.size() < 4 || u.size() > 32 || !std::isalpha(static_cast<unsigned char>(u[0]))) return false;
  return std::all_of(u.begin(), u.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

mtp::Result<MessageLink> parse_message_link(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (!strip_prefix(s, "https://")) strip_prefix(s, "http://");
  strip_prefix(s, "www.");
  if (!strip_prefix(s, "t.me/") && !strip_prefix(s, "telegram.me/") && !strip_prefix(s, "telegram.dog/")) {
    return invalid(text, "not a t.me link (expected t.me/CHANNEL/MESSAGE)");
  }
  if (const auto q = s.find_first_of("?#"); q != std::string_view::npos) s = s.substr(0, q);
  std::vector<std::string_view> parts;
  while (!s.empty()) {
    const auto slash = s.find('/');
    parts.push_back(s.substr(0, slash));
    if (slash == std::string_view::npos) break;
    s.remove_prefix(slash + 1);
  }
  if (!parts.empty() && parts.front() == "s") parts.erase(parts.begin());
  if (parts.size() != 2) return invalid(text, "expected t.me/CHANNEL/MESSAGE");
  if (!valid_username(parts[0])) return invalid(text, "\"" + std::string(parts[0]) + "\" is not a username");
  std::int32_t id = 0;
  const auto [end, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), id);
  if (ec != std::errc() || end != parts[1].data() + parts[1].size() || id <= 0) {
    return invalid(text, "\"" + std::string(parts[1]) + "\" is not a message number");
  }
  return MessageLink{std::string(parts[0]), id};
}

}  // namespace tgget
