#pragma once
// Telegram's rules for public usernames, and the t.me paths that look like one but are not a chat.
#include <optional>
#include <string_view>

namespace tgget::cli {

// What is wrong with `name` as a public username, or nothing when Telegram would accept it:
// 3 to 32 of [A-Za-z0-9_], a letter first, no '_' at the end and no "__". Telegram asks 5 for a
// name one picks oneself, but collectible names (Fragment) may be shorter ("collectibles can be
// less than 5 characters long", telegram.org/faq) and Telegram's own bots go down to 3 (@gif,
// @vid, @pic); TDLib's is_valid_username accepts 3 for that reason, and so do we.
std::optional<std::string_view> username_problem(std::string_view name);

// For a first path segment that t.me reserves (joinchat, +hash, addstickers, proxy...), what kind
// of link it is ("an invite link"); nothing for any other segment. Case-insensitive, as t.me is.
std::optional<std::string_view> reserved_link_kind(std::string_view first_segment);

// For a <name>.t.me host that t.me does not treat as a username (a single letter, www and the
// subdomains core.telegram.org/api/links lists), what it is; nothing when <name> may be a username.
std::optional<std::string_view> reserved_subdomain_kind(std::string_view subdomain);

}  // namespace tgget::cli
