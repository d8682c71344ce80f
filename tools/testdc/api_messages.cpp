// channels.getChannels, channels.getMessages, messages.getMessages, messages.getHistory.
// Messages live in channels only: messages.* on private chats and basic groups finds nothing.
#include <algorithm>

#include "api_handlers.hpp"
#include "api_objects.hpp"

namespace testdc::handlers {
namespace {

constexpr int kHistoryLimitMax = 100;  // Telegram caps getHistory at 100 messages

ApiReply channel_messages(const Channel& channel, const Account& viewer,
                          std::vector<api::Message> messages, int count) {
  api::messages_channelMessages out;
  out.pts = channel.messages.empty() ? 1 : channel.messages.back().id + 1;
  out.count = count;
  out.messages = std::move(messages);
  out.chats.push_back(make_channel(channel, viewer));
  return ApiReply::ok(out);
}

}  // namespace

ApiReply channels_getChannels(ApiCall& call) {
  auto req = parse_request<api::channels_getChannels>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  api::messages_chats out;
  for (const api::InputChannel& input : req->id) {
    ChannelAccess access = access_channel(call.state.world(), input, *self);
    if (!access.channel) return ApiReply::fail(400, access.error);
    out.chats.push_back(make_channel(*access.channel, *self));
  }
  return ApiReply::ok(out);
}

ApiReply channels_getMessages(ApiCall& call) {
  auto req = parse_request<api::channels_getMessages>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  ChannelAccess access = access_channel(call.state.world(), req->channel, *self);
  if (!access.channel) return ApiReply::fail(400, access.error);
  const Channel& channel = *access.channel;
  if (req->id.size() > 200) return ApiReply::fail(400, "LIMIT_INVALID");

  std::vector<api::Message> messages;
  for (const api::InputMessage& input : req->id) {
    // Only plain ids are served; reply/pinned/callback lookups find nothing here.
    const auto* by_id = input.get_if<api::inputMessageID>();
    const Message* m = by_id ? channel.find_message(by_id->id) : nullptr;
    if (m) messages.push_back(make_message(api_state(call), channel, *m));
    else messages.push_back(make_empty_message(channel, by_id ? by_id->id : 0));
  }
  const int count = static_cast<int>(messages.size());
  return channel_messages(channel, *self, std::move(messages), count);
}

ApiReply messages_getMessages(ApiCall& call) {
  auto req = parse_request<api::messages_getMessages>(call);
  if (!req) return fetch_error();
  if (logged_in_account(call) == nullptr) return unregistered();
  api::messages_messages out;
  for (const api::InputMessage& input : req->id) {
    const auto* by_id = input.get_if<api::inputMessageID>();
    out.messages.push_back(api::messageEmpty{by_id ? by_id->id : 0, std::nullopt});
  }
  return ApiReply::ok(out);
}

ApiReply messages_getHistory(ApiCall& call) {
  auto req = parse_request<api::messages_getHistory>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  const auto* peer = req->peer.get_if<api::inputPeerChannel>();
  if (peer == nullptr) {
    if (req->peer.is<api::inputPeerEmpty>()) return ApiReply::fail(400, "PEER_ID_INVALID");
    return ApiReply::ok(api::messages_messages{});  // private chats: empty in this world
  }
  ChannelAccess access = access_channel(call.state.world(), peer->channel_id, peer->access_hash, *self);
  if (!access.channel) return ApiReply::fail(400, access.error);
  const Channel& channel = *access.channel;

  // Newest first, filtered by min_id/max_id (exclusive bounds as on Telegram).
  std::vector<const Message*> window;
  for (auto it = channel.messages.rbegin(); it != channel.messages.rend(); ++it) {
    if (req->max_id > 0 && it->id >= req->max_id) continue;
    if (req->min_id > 0 && it->id <= req->min_id) continue;
    window.push_back(&*it);
  }
  // Start at the first message older than offset_id, then shift by add_offset (negative: newer).
  std::int64_t start = 0;
  if (req->offset_id > 0) {
    start = std::find_if(window.begin(), window.end(), [&](const Message* m) { return m->id < req->offset_id; }) -
            window.begin();
  }
  std::int64_t limit = std::clamp(req->limit, 0, kHistoryLimitMax);
  start += req->add_offset;
  if (start < 0) {
    limit = std::max<std::int64_t>(0, limit + start);
    start = 0;
  }
  std::vector<api::Message> messages;
  for (std::int64_t i = start; i < static_cast<std::int64_t>(window.size()) && i < start + limit; ++i) {
    messages.push_back(make_message(api_state(call), channel, *window[static_cast<std::size_t>(i)]));
  }
  return channel_messages(channel, *self, std::move(messages), static_cast<int>(channel.messages.size()));
}

}  // namespace testdc::handlers
