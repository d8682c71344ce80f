#include "session/salt_store.hpp"

#include <algorithm>

namespace mtp::session {

void SaltStore::set_current(std::int64_t salt) { current_ = salt; }

void SaltStore::add_future(const std::vector<FutureSalt>& salts) {
  for (const FutureSalt& s : salts) {
    auto same = std::find_if(future_.begin(), future_.end(), [&](const FutureSalt& k) { return k.salt == s.salt; });
    if (same == future_.end()) future_.push_back(s);
  }
  std::sort(future_.begin(), future_.end(),
            [](const FutureSalt& a, const FutureSalt& b) { return a.valid_since < b.valid_since; });
}

std::int64_t SaltStore::salt_for(std::int64_t now) {
  std::erase_if(future_, [&](const FutureSalt& s) { return s.valid_until <= now; });
  for (auto it = future_.rbegin(); it != future_.rend(); ++it) {
    if (it->valid_since <= now) {
      current_ = it->salt;
      break;
    }
  }
  return current_;
}

bool SaltStore::wants_more(std::int64_t now, std::size_t min_ahead) const {
  auto ahead = std::count_if(future_.begin(), future_.end(), [&](const FutureSalt& s) { return s.valid_until > now; });
  return static_cast<std::size_t>(ahead) < min_ahead;
}

}  // namespace mtp::session
