#include "api_objects.hpp"

#include <algorithm>

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
  c.broadcast = true;
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

api::Document make_document(ApiState& state, const Document& doc) {
  api::document d;
  d.id = doc.id;
  d.access_hash = doc.access_hash;
  d.file_reference = state.file_references().issue(doc.id, state.now_s());
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
  if (!doc.file_name.empty()) d.attributes.push_back(api::documentAttributeFilename{doc.file_name});
  return d;
}

}  // namespace

api::Message make_message(ApiState& state, const Channel& channel, const Message& message) {
  api::message m;
  m.post = true;
  m.id = message.id;
  m.peer_id = api::peerChannel{channel.id};
  m.date = static_cast<std::int32_t>(message.date);
  m.message_ = message.text;
  if (message.document) {
    api::messageMediaDocument media;
    media.video = message.document->video.has_value();
    media.document = make_document(state, *message.document);
    m.media = media;
  }
  m.grouped_id = message.grouped_id;
  return m;
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

}  // namespace testdc
