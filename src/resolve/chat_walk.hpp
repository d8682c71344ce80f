#pragma once
// Walking a chat: its history (messages.getHistory) or a thread's replies (messages.getReplies:
// a forum topic, or the comments under a channel post, which live in the linked discussion group),
// newest first, 100 messages per request; and the chats a link can name without a username: a
// private channel by id (from the account's dialogs) and a channel's discussion group.
#include <asio/awaitable.hpp>

#include <optional>
#include <vector>

#include "client/client.hpp"
#include "remote_file.hpp"

namespace tgget {

struct HistoryPage {
  // The page's messages, newest first: a file, or why not (MESSAGE_HAS_NO_FILE). Service
  // messages are left out.
  std::vector<mtp::Result<RemoteFile>> items;
  std::int32_t next_offset_id = 0;  // where the next (older) page starts
  bool end = false;                 // nothing older than this page (within min_id)
};

// Messages with id < offset_id (0: from the newest) and id > min_id. With `thread`, the replies
// of that message (a topic's first message, or a post whose comments are wanted) instead.
asio::awaitable<mtp::Result<HistoryPage>> history_page(mtp::client::Client& client, const PeerRef& peer,
                                                       std::int32_t offset_id, std::int32_t min_id,
                                                       std::optional<std::int32_t> thread = std::nullopt);

// The newest message id of a chat (0 when it has none).
asio::awaitable<mtp::Result<std::int32_t>> newest_message_id(mtp::client::Client& client, const PeerRef& peer);

// A private channel by id, found among the account's dialogs (with its access hash).
// CHAT_NOT_FOUND when the account is not in it.
asio::awaitable<mtp::Result<PeerRef>> find_channel(mtp::client::Client& client, std::int64_t channel_id);

// The discussion group linked to a channel. NO_DISCUSSION when it has none.
asio::awaitable<mtp::Result<PeerRef>> discussion_group(mtp::client::Client& client, const PeerRef& channel);

}  // namespace tgget
