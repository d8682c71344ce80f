#pragma once
// What a getMessages / getHistory / getReplies answer holds, as files: the message list of any
// messages.Messages, one message's document (or the largest size of its photo) as a RemoteFile,
// and the chats an answer names. Pure: no requests.
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "remote_file.hpp"
#include "tl/api.hpp"

namespace tgget {

const std::vector<mtp::tl::api::Message>* messages_of(const mtp::tl::api::messages_Messages& answer);
const std::vector<mtp::tl::api::Chat>* chats_of(const mtp::tl::api::messages_Messages& answer);

// Errors (kErrInvalidArgument): MESSAGE_HAS_NO_FILE.
mtp::Result<RemoteFile> file_of_message(const mtp::tl::api::message& message, const PeerRef& peer);

// The message `id` of an answer, nullptr when it is not there (deleted, or beyond the newest).
const mtp::tl::api::message* find_message(const mtp::tl::api::messages_Messages& answer, std::int32_t id);

// A channel (or supergroup) the answer's chats name, with its access hash.
std::optional<PeerRef> channel_in(const std::vector<mtp::tl::api::Chat>& chats, std::int64_t channel_id);

}  // namespace tgget
