#pragma once
// Growing a world the way Telegram grows a chat: the manifest loader builds every chat with these,
// and the control port (control_port.hpp) posts with them while the server runs, so a message
// made either way looks the same to a client.
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "world.hpp"

namespace testdc {

struct NewMessage {
  int id = 0;                    // 0: the chat's next id; else it must be above every id so far
  std::string text;
  std::optional<Document> document;  // id 0: a new document (id and access hash from the seed); else re-posted as is
  std::optional<std::int64_t> grouped_id;
  std::int64_t from_user = 0;    // groups: the sender
  int reply_to = 0;              // a message of the same chat; the reply is in that message's thread
  int topic = 0;                 // forums: the topic it is posted in (0: General)
  std::int64_t date = 0;         // 0: the manifest's fixed date (base + id); never before the chat's newest
};

// Appends the message to the chat and returns its id. Errors (MANIFEST_INVALID): an id not above
// the newest, a reply to a missing message, a topic that is not one, a reply and a topic that
// disagree.
mtp::Result<int> add_message(World& world, Channel& chat, NewMessage message);

// A forum topic: its creation message (messageActionTopicCreate), whose id is the topic's id.
mtp::Result<int> add_topic(World& world, Channel& forum, std::string title, int icon_color, std::int64_t date = 0);

// What Telegram does with every post of a channel that has a discussion group: the post is
// forwarded there (same text and document), and comments are replies to that copy. Returns the
// copy's id; a post already copied keeps its copy.
mtp::Result<int> copy_to_discussion(World& world, Channel& channel, int post_id, std::int64_t date = 0);

}  // namespace testdc
