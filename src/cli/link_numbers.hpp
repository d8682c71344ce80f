#pragma once
// The numbers inside links: message ids (1..2^31-1), channel ids and message selections. Errors
// are LINK_INVALID whose detail says what is wrong with the piece (parse_link adds the whole link).
#include <cstdint>
#include <string>
#include <string_view>

#include "cli/link.hpp"
#include "core/result.hpp"

namespace tgget::cli {

// `what` names the number in messages ("message id", "topic id", "thread id").
mtp::Result<std::int32_t> parse_message_id(std::string_view digits, std::string_view what);
mtp::Result<std::int64_t> parse_channel_id(std::string_view digits);
// "ID", "FIRST-LAST" or "FIRST-".
mtp::Result<MessageSelection> parse_selection(std::string_view text);

}  // namespace tgget::cli
