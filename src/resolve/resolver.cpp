#include "resolver.hpp"

#include <algorithm>

#include "message_files.hpp"

namespace tgget {

namespace api = mtp::tl::api;
using mtp::Error;
using mtp::Result;

namespace {

constexpr std::size_t kIdsPerCall = 100;  // channels.getMessages takes at most 100 ids

Error not_found(std::string type, std::string detail) {
  return Error::local(mtp::kErrInvalidArgument, std::move(type), std::move(detail));
}

// The chat a resolved username names, when it is one we can fetch messages from.
Result<PeerRef> peer_of(const api::contacts_resolvedPeer& resolved, const std::string& username) {
  if (const auto* p = resolved.peer.get_if<api::peerChannel>()) {
    if (auto peer = channel_in(resolved.chats, p->channel_id)) {
      if (peer->username.empty()) peer->username = username;
      return *peer;
    }
  }
  if (const auto* p = resolved.peer.get_if<api::peerUser>()) {
    for (const auto& user : resolved.users) {
      const auto* u = user.get_if<api::user>();
      if (u && u->id == p->user_id) {
        return PeerRef{PeerKind::kUser, u->id, u->access_hash.value_or(0), u->username.value_or(username),
                       u->first_name.value_or("")};
      }
    }
  }
  return not_found("CHAT_NOT_FOUND", "@" + username + " is not a chat this account can read");
}

asio::awaitable<Result<api::messages_Messages>> get_messages(mtp::client::Client& client, const PeerRef& peer,
                                                             std::span<const std::int32_t> ids) {
  std::vector<api::InputMessage> wanted;
  for (auto id : ids) wanted.emplace_back(api::inputMessageID{id});
  if (peer.kind == PeerKind::kChannel) {
    api::channels_getMessages get;
    get.channel = api::inputChannel{peer.id, peer.access_hash};
    get.id = std::move(wanted);
    co_return co_await client.invoke(get);
  }
  // A user's (or a basic group's) messages are numbered per account and fetched without the peer.
  api::messages_getMessages get;
  get.id = std::move(wanted);
  co_return co_await client.invoke(get);
}

Result<RemoteFile> file_in(const api::messages_Messages& answer, const PeerRef& peer, std::int32_t id) {
  const api::message* message = find_message(answer, id);
  if (message == nullptr) {
    RemoteFile f;
    f.peer = peer;
    f.message_id = id;
    return not_found("MESSAGE_NOT_FOUND", f.describe() + " does not exist");
  }
  return file_of_message(*message, peer);
}

}  // namespace

asio::awaitable<Result<PeerRef>> resolve_chat(mtp::client::Client& client, const std::string& username) {
  const api::contacts_resolveUsername resolve{username, std::nullopt};
  auto resolved = co_await client.invoke(resolve);
  if (!resolved) {
    const Error& e = resolved.error();
    if (e.is("USERNAME_NOT_OCCUPIED") || e.is("USERNAME_INVALID")) {
      co_return not_found("CHAT_NOT_FOUND", "channel @" + username + " not found");
    }
    co_return e;
  }
  co_return peer_of(resolved->get<api::contacts_resolvedPeer>(), username);
}

asio::awaitable<Result<RemoteFile>> fetch_message_file(mtp::client::Client& client, const PeerRef& peer,
                                                       std::int32_t message_id) {
  const std::int32_t ids[] = {message_id};
  auto answer = co_await get_messages(client, peer, ids);
  if (!answer) co_return answer.error();
  co_return file_in(*answer, peer, message_id);
}

asio::awaitable<Result<std::vector<Result<RemoteFile>>>> fetch_message_files(mtp::client::Client& client,
                                                                             const PeerRef& peer,
                                                                             std::vector<std::int32_t> ids) {
  std::vector<Result<RemoteFile>> files;
  files.reserve(ids.size());
  for (std::size_t at = 0; at < ids.size(); at += kIdsPerCall) {
    const std::span<const std::int32_t> batch(ids.data() + at, std::min(kIdsPerCall, ids.size() - at));
    auto answer = co_await get_messages(client, peer, batch);
    if (!answer) co_return answer.error();
    for (auto id : batch) files.push_back(file_in(*answer, peer, id));
  }
  co_return files;
}

asio::awaitable<Result<RemoteFile>> resolve_link(mtp::client::Client& client, const MessageLink& link) {
  auto peer = co_await resolve_chat(client, link.username);
  if (!peer) co_return peer.error();
  co_return co_await fetch_message_file(client, *peer, link.message_id);
}

asio::awaitable<Result<RemoteFile>> refetch(mtp::client::Client& client, const RemoteFile& file) {
  const std::int32_t ids[] = {file.message_id};
  auto answer = co_await get_messages(client, file.peer, ids);
  if (!answer) co_return answer.error();
  auto fresh = file_in(*answer, file.peer, file.message_id);
  if (!fresh) co_return fresh.error();
  if (fresh->id != file.id || fresh->is_photo != file.is_photo || fresh->size != file.size) {
    // Never a reference of the new file for the old one's bytes: the two would be mixed.
    co_return not_found("FILE_CHANGED", file.describe() + ": the file changed on the server while it was downloaded (" +
                                            std::to_string(file.size) + " bytes, id " + std::to_string(file.id) +
                                            "; now " + std::to_string(fresh->size) + " bytes, id " +
                                            std::to_string(fresh->id) + "); run it again to fetch the new one");
  }
  co_return fresh;
}

}  // namespace tgget
