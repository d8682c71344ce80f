#pragma once
// The paging of messages.getHistory and messages.getReplies, as Telegram pages: newest first; the
// page starts at the first message older than offset_id (or, without one, sent before
// offset_date), moved by add_offset (negative: towards newer messages, so offset_id itself and
// newer ones come back), at most `limit` (<= 100) messages; min_id and max_id (exclusive) then
// filter that page, so a page can come back short, as Telegram's does. No I/O, no API types.
#include <cstdint>
#include <vector>

#include "world.hpp"

namespace testdc {

struct HistoryQuery {
  int offset_id = 0;
  std::int64_t offset_date = 0;
  int add_offset = 0;
  int limit = 0;
  int max_id = 0;
  int min_id = 0;
};

constexpr int kHistoryLimitMax = 100;  // Telegram serves at most 100 messages a call

// `oldest_first`: the chat's (or thread's) messages in id order. Returns the page, newest first.
std::vector<const Message*> history_page(const std::vector<const Message*>& oldest_first, const HistoryQuery& q);

}  // namespace testdc
