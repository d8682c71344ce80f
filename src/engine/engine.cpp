#include "engine/engine.hpp"

#include <algorithm>
#include <cctype>

#include "resolve/resolver.hpp"

namespace tgget::engine {

DcPool& Engine::pool(int dc) {
  auto& p = pools_[dc];
  if (!p) p = std::make_unique<DcPool>(executor_, dc, pool_options_);
  return *p;
}

asio::awaitable<mtp::Result<RemoteFile>> Engine::resolve(const MessageLink& link) {
  std::string key = link.username;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  auto it = chats_.find(key);
  if (it == chats_.end()) {
    auto guard = co_await resolving_.lock();
    it = chats_.find(key);  // resolved by whoever held the lock before us
    if (it == chats_.end()) {
      auto peer = co_await resolve_chat(client_, link.username);
      if (!peer) co_return peer.error();
      it = chats_.emplace(key, std::move(*peer)).first;
    }
  }
  const PeerRef peer = it->second;
  co_return co_await fetch_message_file(client_, peer, link.message_id);
}

}  // namespace tgget::engine
