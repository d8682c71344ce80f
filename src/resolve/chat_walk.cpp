#include "chat_walk.hpp"

#include <algorithm>

#include "message_files.hpp"

namespace tgget {

namespace api = mtp::tl::api;
using mtp::Error;
using mtp::Result;

namespace {

constexpr std::int32_t kPageSize = 100;  // what Telegram gives at most per call
constexpr int kMaxDialogPages = 200;    // 20,000 dialogs: a bound, not a loop

api::InputPeer input_peer(const PeerRef& p) {
  switch (p.kind) {
    case PeerKind::kChannel: return api::inputPeerChannel{p.id, p.access_hash};
    case PeerKind::kUser: return api::inputPeerUser{p.id, p.access_hash};
    default: return api::inputPeerChat{p.id};
  }
}

HistoryPage page_of(const api::messages_Messages& answer, const PeerRef& peer, std::int32_t min_id) {
  HistoryPage page;
  const auto* list = messages_of(answer);
  std::int32_t lowest = 0;
  if (list != nullptr) {
    for (const auto& m : *list) {
      std::int32_t id = 0;
      if (const auto* x = m.get_if<api::message>()) {
        id = x->id;
        if (id > min_id) page.items.push_back(file_of_message(*x, peer));
      } else if (const auto* s = m.get_if<api::messageService>()) {
        id = s->id;
      } else if (const auto* e = m.get_if<api::messageEmpty>()) {
        id = e->id;
      }
      if (id > 0 && (lowest == 0 || id < lowest)) lowest = id;
    }
  }
  page.next_offset_id = lowest;
  // An empty page, or one that reached min_id, is the end; a page that did not move is too (a
  // server that repeats itself must not keep us walking).
  page.end = list == nullptr || list->empty() || lowest <= min_id + 1;
  return page;
}

}  // namespace

asio::awaitable<Result<HistoryPage>> history_page(mtp::client::Client& client, const PeerRef& peer,
                                                  std::int32_t offset_id, std::int32_t min_id,
                                                  std::optional<std::int32_t> thread) {
  Result<api::messages_Messages> answer = Error::local(mtp::kErrInternal, "UNSET", "");
  if (thread) {
    api::messages_getReplies get;
    get.peer = input_peer(peer);
    get.msg_id = *thread;
    get.offset_id = offset_id;
    get.limit = kPageSize;
    get.min_id = min_id;
    answer = co_await client.invoke(get);
  } else {
    api::messages_getHistory get;
    get.peer = input_peer(peer);
    get.offset_id = offset_id;
    get.limit = kPageSize;
    get.min_id = min_id;
    answer = co_await client.invoke(get);
  }
  if (!answer) co_return answer.error();
  HistoryPage page = page_of(*answer, peer, min_id);
  if (offset_id != 0 && page.next_offset_id >= offset_id) page.end = true;
  co_return page;
}

asio::awaitable<Result<std::int32_t>> newest_message_id(mtp::client::Client& client, const PeerRef& peer) {
  api::messages_getHistory get;
  get.peer = input_peer(peer);
  get.limit = 1;
  auto answer = co_await client.invoke(get);
  if (!answer) co_return answer.error();
  std::int32_t newest = 0;
  if (const auto* list = messages_of(*answer)) {
    for (const auto& m : *list) {
      if (const auto* x = m.get_if<api::message>()) newest = std::max(newest, x->id);
      if (const auto* s = m.get_if<api::messageService>()) newest = std::max(newest, s->id);
    }
  }
  co_return newest;
}

asio::awaitable<Result<PeerRef>> find_channel(mtp::client::Client& client, std::int64_t channel_id) {
  api::messages_getDialogs get;
  get.offset_peer = api::inputPeerEmpty{};
  get.limit = kPageSize;
  for (int page = 0; page < kMaxDialogPages; ++page) {
    auto answer = co_await client.invoke(get);
    if (!answer) co_return answer.error();
    const std::vector<api::Dialog>* dialogs = nullptr;
    const std::vector<api::Message>* messages = nullptr;
    const std::vector<api::Chat>* chats = nullptr;
    if (const auto* d = answer->get_if<api::messages_dialogs>()) {
      dialogs = &d->dialogs, messages = &d->messages, chats = &d->chats;
    } else if (const auto* s = answer->get_if<api::messages_dialogsSlice>()) {
      dialogs = &s->dialogs, messages = &s->messages, chats = &s->chats;
    }
    if (chats == nullptr) break;
    if (auto found = channel_in(*chats, channel_id)) co_return *found;
    if (answer->get_if<api::messages_dialogs>() || dialogs->empty()) break;  // the whole list was given
    // The next page starts after the last dialog: its top message's date and id, and its peer.
    const auto* last = dialogs->back().get_if<api::dialog>();
    if (last == nullptr) break;
    std::int32_t date = 0;
    for (const auto& m : *messages) {
      if (const auto* x = m.get_if<api::message>(); x && x->id == last->top_message) date = x->date;
    }
    if (date == 0 && get.offset_date == 0) break;
    get.offset_id = last->top_message;
    get.offset_date = date;
    if (const auto* pc = last->peer.get_if<api::peerChannel>()) {
      auto ref = channel_in(*chats, pc->channel_id);
      get.offset_peer = api::inputPeerChannel{pc->channel_id, ref ? ref->access_hash : 0};
    } else if (const auto* pu = last->peer.get_if<api::peerUser>()) {
      get.offset_peer = api::inputPeerUser{pu->user_id, 0};
    } else if (const auto* pg = last->peer.get_if<api::peerChat>()) {
      get.offset_peer = api::inputPeerChat{pg->chat_id};
    }
  }
  co_return Error::local(mtp::kErrInvalidArgument, "CHAT_NOT_FOUND",
                         "channel " + std::to_string(channel_id) +
                             " is not among this account's chats (join it first, or use its public link)");
}

asio::awaitable<Result<PeerRef>> discussion_group(mtp::client::Client& client, const PeerRef& channel) {
  api::channels_getFullChannel get;
  get.channel = api::inputChannel{channel.id, channel.access_hash};
  auto answer = co_await client.invoke(get);
  if (!answer) co_return answer.error();
  const auto& full = answer->get<api::messages_chatFull>();
  const auto* cf = full.full_chat.get_if<api::channelFull>();
  if (cf == nullptr || !cf->linked_chat_id) {
    co_return Error::local(mtp::kErrInvalidArgument, "NO_DISCUSSION",
                           "@" + channel.username + " has no discussion group, so no comments");
  }
  if (auto group = channel_in(full.chats, *cf->linked_chat_id)) co_return *group;
  co_return Error::local(mtp::kErrMalformed, "NO_DISCUSSION", "the discussion group of @" + channel.username +
                                                                  " was not in Telegram's answer");
}

}  // namespace tgget
