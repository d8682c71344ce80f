#pragma once
// A link to one message of a public chat: t.me/USER/ID (also https://, telegram.me, t.me/s/USER/ID).
// Parsing is pure; the command-line issue widens it to every link form Telegram uses.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tgget {

struct MessageLink {
  std::string username;        // without '@', as written (Telegram compares case-insensitively)
  std::int32_t message_id = 0;

  std::string to_string() const { return "t.me/" + username + "/" + std::to_string(message_id); }
};

// Errors: LINK_INVALID (kErrInvalidArgument) saying what is wrong with the text.
mtp::Result<MessageLink> parse_message_link(std::string_view text);

}  // namespace tgget
