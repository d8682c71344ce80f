#include "cli/username.hpp"

#include <array>
#include <utility>

namespace tgget::cli {

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// t.me paths that are links of another kind (core.telegram.org/api/links): each names what it is,
// so a user who pasted one learns why it cannot be downloaded.
constexpr std::array<std::pair<std::string_view, std::string_view>, 28> kReservedPaths{{
    {"joinchat", "an invite link"},       {"addstickers", "a sticker set link"},
    {"addemoji", "an emoji pack link"},   {"addtheme", "a theme link"},
    {"addlist", "a chat folder link"},    {"addstyle", "a style link"},
    {"setlanguage", "a language pack link"}, {"share", "a share link"},
    {"msg", "a share link"},              {"confirmphone", "a phone confirmation link"},
    {"login", "a login code link"},       {"auth", "a login link"},
    {"proxy", "a proxy link"},            {"socks", "a proxy link"},
    {"bg", "a wallpaper link"},           {"invoice", "an invoice link"},
    {"giftcode", "a gift code link"},     {"boost", "a boost link"},
    {"contact", "a contact link"},        {"m", "a business chat link"},
    {"nft", "a collectible gift link"},   {"auction", "an auction link"},
    {"call", "a group call link"},        {"iv", "an Instant View link"},
    {"web", "a Telegram Web link"},       {"a", "a Telegram Web link"},
    {"k", "a Telegram Web link"},         {"z", "a Telegram Web link"},
}};

}  // namespace

std::optional<std::string_view> username_problem(std::string_view name) {
  if (name.empty()) return "empty";
  if (name.size() < 3) return "too short (a username has 3 to 32 characters)";
  if (name.size() > 32) return "too long (a username has at most 32 characters)";
  if (!is_letter(name.front())) return "must start with a letter";
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!is_letter(c) && !is_digit(c) && c != '_') return "may hold only letters, digits and '_'";
    if (c == '_' && i > 0 && name[i - 1] == '_') return "may not hold \"__\"";
  }
  if (name.back() == '_') return "may not end with '_'";
  return std::nullopt;
}

std::optional<std::string_view> reserved_link_kind(std::string_view first_segment) {
  if (first_segment.starts_with('+')) {
    // t.me/+HASH is an invite link; t.me/+DIGITS a phone number link.
    const std::string_view rest = first_segment.substr(1);
    bool digits = !rest.empty();
    for (const char c : rest) digits = digits && is_digit(c);
    return digits ? "a phone number link" : "an invite link";
  }
  if (first_segment.starts_with('$')) return "an invoice link";
  for (const auto& [path, kind] : kReservedPaths) {
    if (equals_ignoring_case(first_segment, path)) return kind;
  }
  return std::nullopt;
}

std::optional<std::string_view> reserved_subdomain_kind(std::string_view subdomain) {
  if (subdomain.size() == 1) return "a Telegram Web link";
  if (equals_ignoring_case(subdomain, "www")) return "the t.me web site";
  return reserved_link_kind(subdomain);
}

}  // namespace tgget::cli
