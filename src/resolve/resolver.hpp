#pragma once
// Link → document: contacts.resolveUsername, then channels.getMessages (or messages.getMessages
// for a user's chat), then the message's document or the largest size of its photo. The same
// message fetched again renews an expired file reference.
#include <asio/awaitable.hpp>

#include "client/client.hpp"
#include "message_link.hpp"
#include "remote_file.hpp"

namespace tgget {

// Errors (local, kErrInvalidArgument unless Telegram's own error passes through):
//   CHAT_NOT_FOUND      the username is not occupied, or not by a chat we can read
//   MESSAGE_NOT_FOUND   no such message (deleted, or beyond the newest)
//   MESSAGE_HAS_NO_FILE the message carries no document or photo
asio::awaitable<mtp::Result<RemoteFile>> resolve_link(mtp::client::Client& client, const MessageLink& link);

// The two steps of resolve_link, for callers that resolve a chat once for many messages.
asio::awaitable<mtp::Result<PeerRef>> resolve_chat(mtp::client::Client& client, const std::string& username);
asio::awaitable<mtp::Result<RemoteFile>> fetch_message_file(mtp::client::Client& client, const PeerRef& peer,
                                                            std::int32_t message_id);

// The files of messages `ids` of `peer`, in the order asked, 100 ids per request: each a file or
// why not (MESSAGE_NOT_FOUND, MESSAGE_HAS_NO_FILE). An error of the request itself fails them all.
asio::awaitable<mtp::Result<std::vector<mtp::Result<RemoteFile>>>> fetch_message_files(
    mtp::client::Client& client, const PeerRef& peer, std::vector<std::int32_t> ids);

// The message of `file` fetched again: the same file with a fresh reference. FILE_CHANGED when
// the message now carries another file (or none), MESSAGE_NOT_FOUND when it is gone.
asio::awaitable<mtp::Result<RemoteFile>> refetch(mtp::client::Client& client, const RemoteFile& file);

}  // namespace tgget
