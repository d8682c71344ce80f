// messages.getDialogs (the chats an account is a member of, paged as Telegram pages them) and
// channels.getFullChannel (what tgget needs of it: the linked discussion group).
#include <algorithm>
#include <limits>
#include <tuple>

#include "api_handlers.hpp"
#include "api_history.hpp"
#include "api_objects.hpp"

namespace testdc::handlers {
namespace {

// Dialogs are ordered by their top message, newest first; equal dates by top message id, then by
// peer id, so every dialog has one place and an offset taken from the last one of a page is exact.
using DialogKey = std::tuple<std::int64_t, int, std::int64_t>;  // (date, top message id, peer id)

DialogKey key_of(const Channel& chat) {
  const Message& top = chat.messages.back();
  return {top.date, top.id, chat.id};
}

std::int64_t peer_id_of(const api::InputPeer& peer) {
  if (const auto* c = peer.get_if<api::inputPeerChannel>()) return c->channel_id;
  if (const auto* u = peer.get_if<api::inputPeerUser>()) return u->user_id;
  if (const auto* g = peer.get_if<api::inputPeerChat>()) return g->chat_id;
  return 0;
}

api::Dialog make_dialog(const Channel& chat) {
  api::dialog d;
  d.peer = api::peerChannel{chat.id};
  d.top_message = chat.messages.back().id;
  d.read_inbox_max_id = d.top_message;  // everything read: no unread counters to keep
  d.read_outbox_max_id = d.top_message;
  d.notify_settings = api::peerNotifySettings{};
  d.pts = channel_pts(chat);
  return d;
}

}  // namespace

ApiReply messages_getDialogs(ApiCall& call) {
  auto req = parse_request<api::messages_getDialogs>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  const World& world = call.state.world();

  std::vector<const Channel*> chats;
  // The archive (folder 1) is empty in this world; a chat without messages has no top message.
  if (req->folder_id.value_or(0) == 0) {
    for (const Channel& c : world.channels) {
      if (is_member(c, *self) && !c.messages.empty()) chats.push_back(&c);
    }
  }
  std::sort(chats.begin(), chats.end(), [](const Channel* a, const Channel* b) { return key_of(*a) > key_of(*b); });
  const int count = static_cast<int>(chats.size());

  // The offset is the last dialog the client has: only dialogs after it, in the order above. A
  // part left 0 (or inputPeerEmpty) does not limit.
  const bool paged = req->offset_date != 0 || req->offset_id != 0 || !req->offset_peer.is<api::inputPeerEmpty>();
  if (paged) {
    constexpr auto kAll = std::numeric_limits<std::int64_t>::max();
    const std::int64_t peer = peer_id_of(req->offset_peer);
    const DialogKey offset{req->offset_date != 0 ? req->offset_date : kAll,
                           req->offset_id != 0 ? req->offset_id : std::numeric_limits<int>::max(), peer != 0 ? peer : kAll};
    std::erase_if(chats, [&](const Channel* c) { return !(key_of(*c) < offset); });
  }
  const auto limit = static_cast<std::size_t>(std::clamp(req->limit, 0, kHistoryLimitMax));
  const bool whole = !paged && chats.size() <= limit;
  if (chats.size() > limit) chats.resize(limit);

  std::vector<api::Dialog> dialogs;
  std::vector<api::Message> messages;
  PeerSet peers;
  for (const Channel* c : chats) {
    dialogs.push_back(make_dialog(*c));
    messages.push_back(make_message(api_state(call), *c, c->messages.back()));
    peers.chats.insert(c->id);
    peers.add(*c, c->messages.back());
  }
  std::vector<api::Chat> out_chats;
  std::vector<api::User> out_users;
  peers.fill(world, *self, out_chats, out_users);
  // Telegram answers messages.dialogs when the list is complete, a slice with the total otherwise.
  if (whole) {
    return ApiReply::ok(api::messages_dialogs{std::move(dialogs), std::move(messages), std::move(out_chats), std::move(out_users)});
  }
  return ApiReply::ok(
      api::messages_dialogsSlice{count, std::move(dialogs), std::move(messages), std::move(out_chats), std::move(out_users)});
}

ApiReply channels_getFullChannel(ApiCall& call) {
  auto req = parse_request<api::channels_getFullChannel>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  const World& world = call.state.world();
  ChannelAccess access = access_channel(world, req->channel, *self);
  if (!access.channel) return ApiReply::fail(400, access.error);
  const Channel& chat = *access.channel;

  api::channelFull full;
  full.id = chat.id;
  full.participants_count = static_cast<std::int32_t>(chat.member_phones.size());
  const int top = chat.messages.empty() ? 0 : chat.messages.back().id;
  full.read_inbox_max_id = top;
  full.read_outbox_max_id = top;
  full.chat_photo = api::photoEmpty{0};
  full.notify_settings = api::peerNotifySettings{};
  full.pts = channel_pts(chat);
  if (chat.linked_chat != 0) full.linked_chat_id = chat.linked_chat;

  api::messages_chatFull out;
  out.full_chat = std::move(full);
  PeerSet peers;
  peers.chats.insert(chat.id);
  if (chat.linked_chat != 0) peers.chats.insert(chat.linked_chat);
  peers.fill(world, *self, out.chats, out.users);
  return ApiReply::ok(out);
}

}  // namespace testdc::handlers
