// Threads: messages.getReplies (a forum topic's messages, a post's comments in its discussion
// group), messages.getDiscussionMessage (the root of a post's comment thread) and the forum topic
// list, messages.getForumTopics / getForumTopicsByID (layer 220 on; older clients call them
// channels.getForumTopics*, which legacy_methods.cpp renames).
#include <algorithm>
#include <cctype>

#include "api_handlers.hpp"
#include "api_history.hpp"
#include "api_objects.hpp"

namespace testdc::handlers {
namespace {

constexpr int kGeneralTopic = 1;
constexpr int kGeneralColor = 0x6FB9F0;

// A thread: the chat holding its messages and its root's id there.
struct Thread {
  const Channel* chat = nullptr;
  int root = 0;
};

// msg_id of `chat` names a thread: a forum topic, a discussion copy (or a message in its thread),
// or, for a broadcast channel, a post whose copy is in the discussion group.
Thread find_thread(const World& world, const Channel& chat, int msg_id) {
  if (chat.is_topic(msg_id)) return {&chat, msg_id};
  const Message* m = chat.find_message(msg_id);
  if (m == nullptr) return {};
  if (!chat.megagroup) {
    const Channel* group = m->discussion_copy != 0 ? world.find_channel_by_id(chat.linked_chat) : nullptr;
    return group ? Thread{group, m->discussion_copy} : Thread{};
  }
  if (m->forwarded) return {&chat, m->id};
  if (m->thread != 0) return {&chat, m->thread};
  return {};
}

api::ForumTopic make_topic(const Channel& forum, int id) {
  auto thread = forum.thread_messages(id);
  const Message* created = id == kGeneralTopic ? nullptr : forum.find_message(id);
  api::forumTopic t;
  t.id = id;
  t.peer = api::peerChannel{forum.id};
  t.title = created ? *created->topic_title : "General";
  t.icon_color = created ? created->topic_icon_color : kGeneralColor;
  t.date = static_cast<std::int32_t>(created ? created->date : (thread.empty() ? 0 : thread.front()->date));
  t.top_message = thread.empty() ? id : thread.back()->id;
  t.read_inbox_max_id = t.top_message;
  t.read_outbox_max_id = t.top_message;
  if (created && created->from_user != 0) t.from_id = api::peerUser{created->from_user};
  else t.from_id = api::peerChannel{forum.id};
  t.notify_settings = api::peerNotifySettings{};
  return t;
}

// The topics of a forum, most recently active first (Telegram's default order). General is listed
// when it has messages.
std::vector<int> topics_by_activity(const Channel& forum) {
  std::vector<std::pair<int, int>> by_top;  // (top message, topic)
  if (!forum.thread_messages(kGeneralTopic).empty()) {
    by_top.emplace_back(forum.thread_messages(kGeneralTopic).back()->id, kGeneralTopic);
  }
  for (const Message& m : forum.messages) {
    if (!m.topic_title) continue;
    auto thread = forum.thread_messages(m.id);
    by_top.emplace_back(thread.back()->id, m.id);
  }
  std::sort(by_top.rbegin(), by_top.rend());
  std::vector<int> out;
  for (auto [top, id] : by_top) out.push_back(id);
  return out;
}

ApiReply forum_topics(ApiCall& call, const Channel& forum, const Account& viewer, const std::vector<int>& ids, int count) {
  api::messages_forumTopics out;
  out.count = count;
  out.pts = channel_pts(forum);
  PeerSet peers;
  peers.chats.insert(forum.id);
  for (int id : ids) {
    if (!forum.is_topic(id)) {
      out.topics.push_back(api::forumTopicDeleted{id});
      continue;
    }
    auto topic = make_topic(forum, id);
    const Message* top = forum.find_message(topic.get<api::forumTopic>().top_message);
    if (top != nullptr) {
      out.messages.push_back(make_message(api_state(call), forum, *top));
      peers.add(forum, *top);
    }
    out.topics.push_back(std::move(topic));
  }
  peers.fill(call.state.world(), viewer, out.chats, out.users);
  return ApiReply::ok(out);
}

bool title_matches(const std::string& title, const std::string& q) {
  auto it = std::search(title.begin(), title.end(), q.begin(), q.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != title.end();
}

}  // namespace

ApiReply messages_getReplies(ApiCall& call) {
  auto req = parse_request<api::messages_getReplies>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  ChannelAccess access = access_peer(call.state.world(), req->peer, *self);
  if (!access.channel) return ApiReply::fail(400, access.error);
  Thread thread = find_thread(call.state.world(), *access.channel, req->msg_id);
  if (thread.chat == nullptr) return ApiReply::fail(400, "MSG_ID_INVALID");
  auto all = thread.chat->thread_messages(thread.root);
  const HistoryQuery q{req->offset_id, req->offset_date, req->add_offset, req->limit, req->max_id, req->min_id};
  return channel_messages(call, *thread.chat, *self, history_page(all, q), static_cast<int>(all.size()));
}

ApiReply messages_getDiscussionMessage(ApiCall& call) {
  auto req = parse_request<api::messages_getDiscussionMessage>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  const World& world = call.state.world();
  ChannelAccess access = access_peer(world, req->peer, *self);
  if (!access.channel) return ApiReply::fail(400, access.error);
  Thread thread = find_thread(world, *access.channel, req->msg_id);
  // Comment threads only: a forum topic has no discussion message.
  const Message* root = thread.chat ? thread.chat->find_message(thread.root) : nullptr;
  if (root == nullptr || !root->forwarded) return ApiReply::fail(400, "MSG_ID_INVALID");

  api::messages_discussionMessage out;
  PeerSet peers;
  peers.chats.insert(thread.chat->id);
  out.messages.push_back(make_message(api_state(call), *thread.chat, *root));
  peers.add(*thread.chat, *root);
  auto replies = thread.chat->thread_messages(thread.root);
  if (!replies.empty()) {
    out.max_id = replies.back()->id;
    out.read_inbox_max_id = replies.back()->id;  // nothing unread in this world
  }
  peers.fill(world, *self, out.chats, out.users);
  return ApiReply::ok(out);
}

ApiReply messages_getForumTopics(ApiCall& call) {
  auto req = parse_request<api::messages_getForumTopics>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  ChannelAccess access = access_peer(call.state.world(), req->peer, *self);
  if (!access.channel) return ApiReply::fail(400, access.error);
  const Channel& forum = *access.channel;
  if (!forum.forum) return ApiReply::fail(400, "CHANNEL_FORUM_MISSING");

  std::vector<int> ids;
  for (int id : topics_by_activity(forum)) {
    const std::string title = id == kGeneralTopic ? "General" : *forum.find_message(id)->topic_title;
    if (!req->q || title_matches(title, *req->q)) ids.push_back(id);
  }
  const int count = static_cast<int>(ids.size());
  // The next page starts after offset_topic, the last topic of the previous one.
  if (req->offset_topic != 0) {
    auto it = std::find(ids.begin(), ids.end(), req->offset_topic);
    ids.erase(ids.begin(), it == ids.end() ? ids.end() : it + 1);
  }
  ids.resize(std::min<std::size_t>(ids.size(), static_cast<std::size_t>(std::clamp(req->limit, 0, kHistoryLimitMax))));
  return forum_topics(call, forum, *self, ids, count);
}

ApiReply messages_getForumTopicsByID(ApiCall& call) {
  auto req = parse_request<api::messages_getForumTopicsByID>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  ChannelAccess access = access_peer(call.state.world(), req->peer, *self);
  if (!access.channel) return ApiReply::fail(400, access.error);
  if (!access.channel->forum) return ApiReply::fail(400, "CHANNEL_FORUM_MISSING");
  return forum_topics(call, *access.channel, *self, req->topics, static_cast<int>(req->topics.size()));
}

}  // namespace testdc::handlers
