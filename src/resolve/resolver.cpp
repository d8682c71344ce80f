#include "resolver.hpp"

namespace tgget {

namespace api = mtp::tl::api;
using mtp::Error;
using mtp::Result;

namespace {

Error not_found(std::string type, std::string detail) {
  return Error::local(mtp::kErrInvalidArgument, std::move(type), std::move(detail));
}

// The chat a resolved username names, when it is one we can fetch messages from.
Result<PeerRef> peer_of(const api::contacts_resolvedPeer& resolved, const std::string& username) {
  if (const auto* p = resolved.peer.get_if<api::peerChannel>()) {
    for (const auto& chat : resolved.chats) {
      const auto* c = chat.get_if<api::channel>();
      if (c && c->id == p->channel_id) {
        return PeerRef{PeerKind::kChannel, c->id, c->access_hash.value_or(0), c->username.value_or(username), c->title};
      }
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

const std::vector<api::Message>* messages_of(const api::messages_Messages& m) {
  if (const auto* x = m.get_if<api::messages_messages>()) return &x->messages;
  if (const auto* x = m.get_if<api::messages_messagesSlice>()) return &x->messages;
  if (const auto* x = m.get_if<api::messages_channelMessages>()) return &x->messages;
  return nullptr;
}

std::string file_name_of(const api::document& d) {
  for (const auto& a : d.attributes) {
    if (const auto* f = a.get_if<api::documentAttributeFilename>()) return f->file_name;
  }
  return {};
}

// The largest size of a photo that can be downloaded as a file (not a stripped or path thumb).
std::optional<std::pair<std::string, std::int64_t>> largest_size(const api::photo& p) {
  std::optional<std::pair<std::string, std::int64_t>> best;
  for (const auto& s : p.sizes) {
    std::optional<std::pair<std::string, std::int64_t>> cand;
    if (const auto* x = s.get_if<api::photoSize>()) cand = {x->type, x->size};
    if (const auto* x = s.get_if<api::photoSizeProgressive>(); x && !x->sizes.empty()) {
      cand = {x->type, *std::max_element(x->sizes.begin(), x->sizes.end())};
    }
    if (cand && (!best || cand->second > best->second)) best = cand;
  }
  return best;
}

// The file of message `id` in `peer`, from a getMessages answer.
Result<RemoteFile> file_of(const api::messages_Messages& answer, const PeerRef& peer, std::int32_t id) {
  RemoteFile f;
  f.peer = peer;
  f.message_id = id;
  const auto* list = messages_of(answer);
  const api::message* message = nullptr;
  if (list) {
    for (const auto& m : *list) {
      if (const auto* x = m.get_if<api::message>(); x && x->id == id) message = x;
    }
  }
  if (message == nullptr) return not_found("MESSAGE_NOT_FOUND", f.describe() + " does not exist");
  f.date = message->date;
  const Error no_file = not_found("MESSAGE_HAS_NO_FILE", f.describe() + " has no file");
  if (!message->media) return no_file;
  if (const auto* media = message->media->get_if<api::messageMediaDocument>()) {
    const auto* d = media->document ? media->document->get_if<api::document>() : nullptr;
    if (d == nullptr) return no_file;
    f.id = d->id;
    f.access_hash = d->access_hash;
    f.file_reference = d->file_reference;
    f.dc = d->dc_id;
    f.size = d->size;
    f.mime_type = d->mime_type;
    f.file_name = file_name_of(*d);
    return f;
  }
  if (const auto* media = message->media->get_if<api::messageMediaPhoto>()) {
    const auto* p = media->photo ? media->photo->get_if<api::photo>() : nullptr;
    const auto size = p ? largest_size(*p) : std::nullopt;
    if (!size) return no_file;
    f.is_photo = true;
    f.id = p->id;
    f.access_hash = p->access_hash;
    f.file_reference = p->file_reference;
    f.dc = p->dc_id;
    f.thumb_size = size->first;
    f.size = size->second;
    f.mime_type = "image/jpeg";
    return f;
  }
  return no_file;
}

asio::awaitable<Result<api::messages_Messages>> get_message(mtp::client::Client& client, const PeerRef& peer,
                                                            std::int32_t id) {
  std::vector<api::InputMessage> ids{api::inputMessageID{id}};
  if (peer.kind == PeerKind::kChannel) {
    api::channels_getMessages get;
    get.channel = api::inputChannel{peer.id, peer.access_hash};
    get.id = std::move(ids);
    co_return co_await client.invoke(get);
  }
  // A user's (or a basic group's) messages are numbered per account and fetched without the peer.
  api::messages_getMessages get;
  get.id = std::move(ids);
  co_return co_await client.invoke(get);
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
  auto answer = co_await get_message(client, peer, message_id);
  if (!answer) co_return answer.error();
  co_return file_of(*answer, peer, message_id);
}

asio::awaitable<Result<RemoteFile>> resolve_link(mtp::client::Client& client, const MessageLink& link) {
  auto peer = co_await resolve_chat(client, link.username);
  if (!peer) co_return peer.error();
  co_return co_await fetch_message_file(client, *peer, link.message_id);
}

asio::awaitable<Result<RemoteFile>> refetch(mtp::client::Client& client, const RemoteFile& file) {
  auto answer = co_await get_message(client, file.peer, file.message_id);
  if (!answer) co_return answer.error();
  auto fresh = file_of(*answer, file.peer, file.message_id);
  if (!fresh) co_return fresh.error();
  if (fresh->id != file.id || fresh->is_photo != file.is_photo || fresh->size != file.size) {
    co_return not_found("FILE_CHANGED", file.describe() + " now carries another file");
  }
  co_return fresh;
}

}  // namespace tgget
