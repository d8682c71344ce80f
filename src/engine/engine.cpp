#include "engine/engine.hpp"

#include <algorithm>
#include <cctype>

#include "resolve/chat_walk.hpp"
#include "resolve/resolver.hpp"

namespace tgget::engine {

DcPool& Engine::pool(int dc) {
  auto& p = pools_[dc];
  if (!p) p = std::make_unique<DcPool>(executor_, dc, pool_options_);
  return *p;
}

asio::awaitable<mtp::Result<PeerRef>> Engine::chat(const std::string& username) {
  std::string key = username;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  if (auto it = chats_.find(key); it != chats_.end()) co_return it->second;
  auto guard = co_await resolving_.lock();
  if (auto it = chats_.find(key); it != chats_.end()) co_return it->second;  // resolved while we waited
  auto peer = co_await resolve_chat(client_, username);
  if (!peer) co_return peer.error();
  co_return chats_.emplace(key, std::move(*peer)).first->second;
}

asio::awaitable<mtp::Result<PeerRef>> Engine::channel(std::int64_t channel_id) {
  const std::string key = "#" + std::to_string(channel_id);
  if (auto it = chats_.find(key); it != chats_.end()) co_return it->second;
  auto guard = co_await resolving_.lock();
  if (auto it = chats_.find(key); it != chats_.end()) co_return it->second;
  auto peer = co_await find_channel(client_, channel_id);
  if (!peer) co_return peer.error();
  co_return chats_.emplace(key, std::move(*peer)).first->second;
}

asio::awaitable<mtp::Result<RemoteFile>> Engine::resolve(const MessageLink& link) {
  auto peer = co_await chat(link.username);
  if (!peer) co_return peer.error();
  co_return co_await fetch_message_file(client_, *peer, link.message_id);
}

}  // namespace tgget::engine
