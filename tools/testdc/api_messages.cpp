// channels.getChannels, channels.getMessages, messages.getMessages, messages.getHistory (paged by
// api_history.hpp).
// Messages live in channels only: messages.* on private chats and basic groups finds nothing.
#include <algorithm>

#include "api_handlers.hpp"
#include "api_history.hpp"
#include "api_objects.hpp"

namespace testdc::handlers {

ApiReply channel_messages(ApiCall& call, const Channel& channel, const Account& viewer,
                          const std::vector<const Message*>& page, int count) {
  api::messages_channelMessages out;
  out.pts = channel_pts(channel);
  out.count = count;
  PeerSet peers;
  peers.chats.insert(channel.id);
  for (const Message* m : page) {
    out.messages.push_back(make_message(api_state(call), channel, *m));
    peers.add(channel, *m);
  }
  peers.fill(call.state.world(), viewer, out.chats, out.users);
  return ApiReply::ok(out);
}

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

  api::messages_channelMessages out;
  out.pts = channel_pts(channel);
  PeerSet peers;
  peers.chats.insert(channel.id);
  for (const api::InputMessage& input : req->id) {
    // Only plain ids are served; reply/pinned/callback lookups find nothing here.
    const auto* by_id = input.get_if<api::inputMessageID>();
    const Message* m = by_id ? channel.find_message(by_id->id) : nullptr;
    if (m) {
      out.messages.push_back(make_message(api_state(call), channel, *m));
      peers.add(channel, *m);
    } else {
      out.messages.push_back(make_empty_message(channel, by_id ? by_id->id : 0));
    }
  }
  out.count = static_cast<int>(out.messages.size());
  peers.fill(call.state.world(), *self, out.chats, out.users);
  return ApiReply::ok(out);
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

  std::vector<const Message*> all;
  for (const Message& m : channel.messages) all.push_back(&m);
  const HistoryQuery q{req->offset_id, req->offset_date, req->add_offset, req->limit, req->max_id, req->min_id};
  return channel_messages(call, channel, *self, history_page(all, q), static_cast<int>(all.size()));
}

}  // namespace testdc::handlers
