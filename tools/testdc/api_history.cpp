#include "api_history.hpp"

#include <algorithm>

namespace testdc {

std::vector<const Message*> history_page(const std::vector<const Message*>& oldest_first, const HistoryQuery& q) {
  std::vector<const Message*> newest(oldest_first.rbegin(), oldest_first.rend());
  // offset_id wins over offset_date, as Telegram's (and Telethon's paging relies on it: it sends
  // both, and in reverse offset_id = last + 1 with the last message's own date).
  auto older = [&](const Message* m) {
    if (q.offset_id > 0) return m->id < q.offset_id;
    if (q.offset_date > 0) return m->date < q.offset_date;
    return true;
  };
  std::int64_t start = std::find_if(newest.begin(), newest.end(), older) - newest.begin();
  std::int64_t limit = std::clamp(q.limit, 0, kHistoryLimitMax);
  start += q.add_offset;
  if (start < 0) {  // the part of the page before the newest message is empty
    limit = std::max<std::int64_t>(0, limit + start);
    start = 0;
  }
  std::vector<const Message*> page;
  const auto size = static_cast<std::int64_t>(newest.size());
  for (std::int64_t i = start; i < size && i < start + limit; ++i) {
    const Message* m = newest[static_cast<std::size_t>(i)];
    if (q.max_id > 0 && m->id >= q.max_id) continue;
    if (q.min_id > 0 && m->id <= q.min_id) continue;
    page.push_back(m);
  }
  return page;
}

}  // namespace testdc
