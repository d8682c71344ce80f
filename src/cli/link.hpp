#pragma once
// Every form of link tgget downloads from, parsed without I/O:
//   t.me/USER/ID  t.me/s/USER/ID  USER.t.me/ID  t.me/c/CHANNEL/ID     one message
//   t.me/USER/TOPIC/ID  t.me/c/CHANNEL/TOPIC/ID                       a message of a forum topic
//   t.me/USER/10-25  t.me/USER/100-                                   a closed or open range
//   t.me/USER  t.me/c/CHANNEL  USER.t.me  @USER                       a whole chat
//   ?single  ?thread=N  ?comment=N  (and ?t=SECONDS, a playback position, accepted and dropped)
//   tg://resolve?domain=USER[&post=ID][&thread=N][&comment=N][&single]
//   tg://privatepost?channel=CHANNEL&post=ID[&thread=N][&comment=N][&single]
// Hosts t.me, telegram.me and telegram.dog (any case, optional www.), with or without http:// or
// https://; a #fragment is ignored, as Telegram's clients ignore it. Ranges and whole chats are
// tgget's own additions.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tgget::cli {

// The chat a link names: a public username or, for t.me/c/ links, a channel id (MTProto form,
// without Bot API's -100 prefix).
struct ChatRef {
  std::string username;          // without '@', as written (Telegram compares case-insensitively)
  std::int64_t channel_id = 0;   // > 0 when the chat is named by id; then username is empty

  bool by_id() const { return channel_id > 0; }
  bool operator==(const ChatRef&) const = default;
};

// Which messages of the chat: one, first..last (both included), first and everything after it,
// or all of them.
struct MessageSelection {
  enum class Kind { kOne, kRange, kFrom, kWholeChat };
  Kind kind = Kind::kWholeChat;
  std::int32_t first = 0;  // kOne, kRange, kFrom
  std::int32_t last = 0;   // kRange only

  bool operator==(const MessageSelection&) const = default;
};

struct Link {
  ChatRef chat;
  std::optional<std::int32_t> topic;    // the forum topic of t.me/USER/TOPIC/ID
  MessageSelection messages;
  bool single = false;                  // ?single: this message only, not its album
  std::optional<std::int32_t> thread;   // ?thread=N: the message thread (replies) it is in
  std::optional<std::int32_t> comment;  // ?comment=N: that comment in the linked discussion group

  // The canonical t.me form: t.me/USER[/TOPIC]/SELECTION or t.me/c/CHANNEL/..., then the
  // options in a fixed order (?single&thread=N&comment=N). Parsing it gives back this Link.
  std::string to_string() const;
  bool operator==(const Link&) const = default;
};

// Ids above this are not channel ids (TDLib's ChannelId::MAX_CHANNEL_ID: 10^12 - 2^31).
inline constexpr std::int64_t kMaxChannelId = 1'000'000'000'000 - (std::int64_t{1} << 31);

// Errors: LINK_INVALID (kErrInvalidArgument) whose detail quotes the text and says what is wrong
// with it: an invalid username, an id that is 0 or above 2147483647, a reversed range, a link of
// another kind ("an invite link, not a message"), an unknown option, text after the link.
mtp::Result<Link> parse_link(std::string_view text);

}  // namespace tgget::cli
