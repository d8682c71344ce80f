#pragma once
// Methods Telegram renamed between layers, which the name-matching transcoder (layers/) cannot
// pair: layers 148-219 list forum topics with channels.getForumTopics(channel:InputChannel ...)
// and channels.getForumTopicsByID, layer 220 on with messages.getForumTopics(peer:InputPeer ...)
// and messages.getForumTopicsByID, the same fields otherwise. Telegram serves both to the clients
// of each layer; so does the test DC, by rewriting the old request into ours.
#include <optional>
#include <string_view>

#include "core/bytes.hpp"

namespace testdc {

// `request` (constructor id first, in the client's layer) rewritten as our layer's method when
// `name` (its name in the client's layer) is one of the renamed ones; nullopt otherwise, or when
// the bytes do not have the old method's shape (answered INPUT_FETCH_ERROR by the caller).
std::optional<mtp::Bytes> rename_legacy_request(std::string_view name, mtp::ByteSpan request);
bool is_legacy_method(std::string_view name);

}  // namespace testdc
