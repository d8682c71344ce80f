#include "world_edit.hpp"

#include <algorithm>

#include "world_internal.hpp"

namespace testdc {
namespace {

using detail::manifest_error;

std::string in_chat(const Channel& chat) { return " in " + (chat.username ? "@" + *chat.username : chat.title); }

// The thread a reply to `target` is in: the target's own, or the target itself when it is a
// thread's root (a topic's creation, a post's discussion copy).
int thread_of_reply_target(const Channel& chat, const Message& target) {
  if (target.thread != 0) return target.thread;
  if (target.forwarded || (chat.forum && target.topic_title)) return target.id;
  return 0;
}

}  // namespace

mtp::Result<int> add_message(World& world, Channel& chat, NewMessage in) {
  Message m;
  m.id = in.id != 0 ? in.id : chat.next_message_id();
  if (m.id < chat.next_message_id()) {
    return manifest_error("message id " + std::to_string(m.id) + in_chat(chat) + " is not above the newest");
  }
  const std::int64_t newest = chat.messages.empty() ? 0 : chat.messages.back().date;
  m.date = std::max(in.date != 0 ? in.date : detail::kBaseDate + m.id, newest);
  m.text = std::move(in.text);
  m.grouped_id = in.grouped_id;
  m.from_user = in.from_user;

  if (in.reply_to != 0) {
    const Message* target = chat.find_message(in.reply_to);
    if (target == nullptr) return manifest_error("reply to missing message " + std::to_string(in.reply_to) + in_chat(chat));
    m.thread = thread_of_reply_target(chat, *target);
    if (in.topic != 0 && in.topic != m.thread) return manifest_error("a reply outside its topic" + in_chat(chat));
  } else if (in.topic != 0 && in.topic != 1) {  // topic 1 is General: no reply header at all
    if (!chat.is_topic(in.topic)) return manifest_error("no topic " + std::to_string(in.topic) + in_chat(chat));
    m.thread = in.topic;
  }
  if (in.reply_to != 0 || m.thread != 0) {
    ReplyTo r;
    r.msg_id = in.reply_to != 0 ? in.reply_to : m.thread;
    r.top_id = m.thread != 0 && m.thread != r.msg_id ? m.thread : 0;
    r.forum_topic = chat.forum && m.thread != 0 && chat.is_topic(m.thread);
    m.reply_to = r;
  }

  if (in.document) {
    m.document = std::move(in.document);
    if (m.document->id == 0) {
      m.document->id = detail::document_id_for(world.conditions.seed, chat.id, m.id);
      m.document->access_hash = detail::access_hash_for(world.conditions.seed, m.document->id, 0xd0);
      m.document->date = m.date;
    }
  }
  chat.messages.push_back(std::move(m));
  return chat.messages.back().id;
}

mtp::Result<int> add_topic(World& world, Channel& forum, std::string title, int icon_color, std::int64_t date) {
  if (!forum.forum) return manifest_error("topics need a forum" + in_chat(forum));
  NewMessage creation;
  creation.date = date;
  auto id = add_message(world, forum, std::move(creation));
  if (!id) return id;
  Message& created = forum.messages.back();
  created.topic_title = std::move(title);
  created.topic_icon_color = icon_color;
  return id;
}

mtp::Result<int> copy_to_discussion(World& world, Channel& channel, int post_id, std::int64_t date) {
  Message* post = channel.find_message(post_id);
  if (post == nullptr) return manifest_error("no post " + std::to_string(post_id) + in_chat(channel));
  if (post->discussion_copy != 0) return post->discussion_copy;
  Channel* group = world.find_channel_by_id(channel.linked_chat);
  if (channel.megagroup || group == nullptr) return manifest_error("no discussion group" + in_chat(channel));
  NewMessage copy;
  copy.text = post->text;
  copy.document = post->document;  // the same document, as a forward keeps it
  copy.grouped_id = post->grouped_id;
  copy.date = date;
  const ForwardedPost origin{channel.id, post->id, post->date};
  auto id = add_message(world, *group, std::move(copy));
  if (!id) return id;
  group->messages.back().forwarded = origin;
  channel.find_message(post_id)->discussion_copy = *id;
  return id;
}

}  // namespace testdc
