#include "api_objects.hpp"

#include <algorithm>
#include <set>

namespace testdc {

const Account* logged_in_account(ApiCall& call) {
  auto user = api_state(call).user_of(call);
  if (!user) return nullptr;
  return call.state.world().find_account_by_id(*user);
}

api::User make_user(const Account& account, bool self) {
  api::user u;
  u.self = self;
  u.id = account.user_id;
  u.access_hash = account.access_hash;
  u.first_name = account.first_name;
  if (!account.last_name.empty()) u.last_name = account.last_name;
  if (!account.username.empty()) u.username = account.username;
  // Telegram shows the phone number only to its owner (and contacts); bots have none.
  if (self && !account.bot_token) u.phone = account.phone;
  u.premium = account.premium;
  if (account.bot_token) {
    u.bot = true;
    u.bot_info_version = 1;
  }
  u.status = api::userStatusEmpty{};
  return u;
}

api::auth_authorization make_authorization(const Account& account) {
  api::auth_authorization auth;
  auth.user = make_user(account, true);
  return auth;
}

bool is_member(const Channel& channel, const Account& account) {
  return !account.phone.empty() &&
         std::find(channel.member_phones.begin(), channel.member_phones.end(), account.phone) !=
             channel.member_phones.end();
}

api::Chat make_channel(const Channel& channel, const Account& viewer) {
  api::channel c;
  c.broadcast = !channel.megagroup;
  c.megagroup = channel.megagroup;
  c.forum = channel.forum;
  c.has_link = channel.linked_chat != 0;
  c.left = !is_member(channel, viewer);
  c.id = channel.id;
  c.access_hash = channel.access_hash;
  c.title = channel.title;
  if (channel.username) c.username = *channel.username;
  c.photo = api::chatPhotoEmpty{};
  c.date = channel.messages.empty() ? 1'700'000'000 : static_cast<std::int32_t>(channel.messages.front().date);
  return c;
}

namespace {

api::Document make_document(ApiState& state, const Document& original) {
  // hostile document-changes: the version the server has now (hostile_files.hpp).
  const std::optional<Document> changed = state.hostile_files().changed_version(original);
  const Document& doc = changed ? *changed : original;
  api::document d;
  d.id = doc.id;
  d.access_hash = doc.access_hash;
  d.file_reference = state.file_references().issue(state.hostile_files().reference_id(original), state.now_s());
  d.date = static_cast<std::int32_t>(doc.date);
  d.mime_type = doc.mime_type;
  d.size = doc.size;
  d.dc_id = doc.dc;
  if (doc.video) {
    api::documentAttributeVideo v;
    v.supports_streaming = doc.video->supports_streaming;
    v.duration = doc.video->duration;
    v.w = doc.video->width;
    v.h = doc.video->height;
    d.attributes.push_back(v);
  }
  if (doc.file_name) d.attributes.push_back(api::documentAttributeFilename{*doc.file_name});
  return d;
}

api::Peer peer_of(const Channel& channel) { return api::peerChannel{channel.id}; }

// messageReplies: a post's comments (in its discussion group) or a discussion thread's replies.
std::optional<api::MessageReplies> replies_of(const World& world, const Channel& channel, const Message& message) {
  const Channel* group = &channel;
  int root = message.id;
  if (message.discussion_copy != 0) {
    group = world.find_channel_by_id(channel.linked_chat);
    root = message.discussion_copy;
  } else if (!message.forwarded) {
    return std::nullopt;  // only thread roots count replies here
  }
  if (group == nullptr) return std::nullopt;
  auto thread = group->thread_messages(root);
  api::messageReplies r;
  r.comments = group != &channel;
  r.replies = static_cast<std::int32_t>(thread.size());
  r.replies_pts = channel_pts(*group);
  if (r.comments) r.channel_id = group->id;
  if (!thread.empty()) r.max_id = thread.back()->id;
  return r;
}

}  // namespace

std::int32_t channel_pts(const Channel& channel) { return channel.next_message_id(); }

api::Message make_message(ApiState& state, const Channel& channel, const Message& message) {
  std::optional<api::MessageReplyHeader> reply_to;
  if (message.reply_to) {
    api::messageReplyHeader h;
    h.forum_topic = message.reply_to->forum_topic;
    h.reply_to_msg_id = message.reply_to->msg_id;
    if (message.reply_to->top_id != 0) h.reply_to_top_id = message.reply_to->top_id;
    reply_to = h;
  }
  std::optional<api::Peer> from;
  if (message.from_user != 0) from = api::peerUser{message.from_user};
  else if (message.forwarded) from = api::peerChannel{message.forwarded->channel_id};  // as the linked channel

  if (message.topic_title) {
    api::messageService m;
    m.id = message.id;
    m.from_id = from;
    m.peer_id = peer_of(channel);
    m.date = static_cast<std::int32_t>(message.date);
    m.action = api::messageActionTopicCreate{false, *message.topic_title, message.topic_icon_color, std::nullopt};
    return m;
  }
  api::message m;
  m.post = !channel.megagroup;
  m.id = message.id;
  m.from_id = from;
  m.peer_id = peer_of(channel);
  m.date = static_cast<std::int32_t>(message.date);
  m.message_ = message.text;
  m.reply_to = std::move(reply_to);
  if (message.forwarded) {
    api::messageFwdHeader f;
    f.from_id = api::peerChannel{message.forwarded->channel_id};
    f.date = static_cast<std::int32_t>(message.forwarded->date);
    f.channel_post = message.forwarded->post_id;
    f.saved_from_peer = api::peerChannel{message.forwarded->channel_id};
    f.saved_from_msg_id = message.forwarded->post_id;
    m.fwd_from = f;
  }
  if (message.document) {
    api::messageMediaDocument media;
    media.video = message.document->video.has_value();
    media.document = make_document(state, *message.document);
    m.media = media;
  }
  m.grouped_id = message.grouped_id;
  m.replies = replies_of(state.world(), channel, message);
  return m;
}

void PeerSet::add(const Channel& channel, const Message& message) {
  chats.insert(channel.id);
  if (message.from_user != 0) users.insert(message.from_user);
  if (message.forwarded) chats.insert(message.forwarded->channel_id);
  if (message.discussion_copy != 0) chats.insert(channel.linked_chat);
}

void PeerSet::fill(const World& world, const Account& viewer, std::vector<api::Chat>& out_chats,
                   std::vector<api::User>& out_users) const {
  for (std::int64_t id : chats) {
    if (const Channel* c = world.find_channel_by_id(id)) out_chats.push_back(make_channel(*c, viewer));
  }
  for (std::int64_t id : users) {
    if (const Account* a = world.find_account_by_id(id)) out_users.push_back(make_user(*a, a->user_id == viewer.user_id));
  }
}

api::Message make_empty_message(const Channel& channel, int id) {
  api::messageEmpty m;
  m.id = id;
  m.peer_id = api::peerChannel{channel.id};
  return m;
}

ChannelAccess access_channel(const World& world, std::int64_t channel_id, std::int64_t access_hash,
                             const Account& viewer) {
  const Channel* channel = world.find_channel_by_id(channel_id);
  if (channel == nullptr || channel->access_hash != access_hash) return {nullptr, "CHANNEL_INVALID"};
  if (!channel->username && !is_member(*channel, viewer)) return {nullptr, "CHANNEL_PRIVATE"};
  return {channel, {}};
}

ChannelAccess access_channel(const World& world, const api::InputChannel& input, const Account& viewer) {
  if (const auto* c = input.get_if<api::inputChannel>()) {
    return access_channel(world, c->channel_id, c->access_hash, viewer);
  }
  return {nullptr, "CHANNEL_INVALID"};  // inputChannelEmpty, inputChannelFromMessage
}

ChannelAccess access_peer(const World& world, const api::InputPeer& input, const Account& viewer) {
  if (const auto* c = input.get_if<api::inputPeerChannel>()) {
    return access_channel(world, c->channel_id, c->access_hash, viewer);
  }
  return {nullptr, "PEER_ID_INVALID"};
}

}  // namespace testdc
