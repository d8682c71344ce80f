#include "message_files.hpp"

#include <algorithm>

namespace tgget {

namespace api = mtp::tl::api;
using mtp::Error;
using mtp::Result;

namespace {

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

// The kind a client shows a document as, from its attributes (a sticker or an animation may
// also carry a video attribute, so those win).
std::string kind_of(const api::document& d) {
  std::string kind = "document";
  for (const auto& a : d.attributes) {
    if (a.get_if<api::documentAttributeSticker>()) return "sticker";
    if (a.get_if<api::documentAttributeAnimated>()) return "animation";
    if (const auto* v = a.get_if<api::documentAttributeVideo>()) kind = v->round_message ? "round" : "video";
    if (const auto* au = a.get_if<api::documentAttributeAudio>()) kind = au->voice ? "voice" : "audio";
  }
  return kind;
}

std::string file_name_of(const api::document& d) {
  for (const auto& a : d.attributes) {
    if (const auto* f = a.get_if<api::documentAttributeFilename>()) return f->file_name;
  }
  return {};
}

}  // namespace

const std::vector<api::Message>* messages_of(const api::messages_Messages& m) {
  if (const auto* x = m.get_if<api::messages_messages>()) return &x->messages;
  if (const auto* x = m.get_if<api::messages_messagesSlice>()) return &x->messages;
  if (const auto* x = m.get_if<api::messages_channelMessages>()) return &x->messages;
  return nullptr;
}

const std::vector<api::Chat>* chats_of(const api::messages_Messages& m) {
  if (const auto* x = m.get_if<api::messages_messages>()) return &x->chats;
  if (const auto* x = m.get_if<api::messages_messagesSlice>()) return &x->chats;
  if (const auto* x = m.get_if<api::messages_channelMessages>()) return &x->chats;
  return nullptr;
}

const api::message* find_message(const api::messages_Messages& answer, std::int32_t id) {
  const auto* list = messages_of(answer);
  if (list == nullptr) return nullptr;
  for (const auto& m : *list) {
    if (const auto* x = m.get_if<api::message>(); x && x->id == id) return x;
  }
  return nullptr;
}

std::optional<PeerRef> channel_in(const std::vector<api::Chat>& chats, std::int64_t channel_id) {
  for (const auto& chat : chats) {
    const auto* c = chat.get_if<api::channel>();
    if (c && c->id == channel_id) {
      return PeerRef{PeerKind::kChannel, c->id, c->access_hash.value_or(0), c->username.value_or(""), c->title};
    }
  }
  return std::nullopt;
}

Result<RemoteFile> file_of_message(const api::message& message, const PeerRef& peer) {
  RemoteFile f;
  f.peer = peer;
  f.message_id = message.id;
  f.date = message.date;
  f.grouped_id = message.grouped_id.value_or(0);
  f.caption = message.message_;
  if (message.reply_to) {
    if (const auto* r = message.reply_to->get_if<api::messageReplyHeader>(); r && r->forum_topic) {
      f.topic_id = r->reply_to_top_id.value_or(r->reply_to_msg_id.value_or(0));
    }
  }
  const Error no_file =
      Error::local(mtp::kErrInvalidArgument, "MESSAGE_HAS_NO_FILE", f.describe() + " has no file");
  if (!message.media) return no_file;
  if (const auto* media = message.media->get_if<api::messageMediaDocument>()) {
    const auto* d = media->document ? media->document->get_if<api::document>() : nullptr;
    if (d == nullptr) return no_file;
    f.id = d->id;
    f.access_hash = d->access_hash;
    f.file_reference = d->file_reference;
    f.dc = d->dc_id;
    f.size = d->size;
    f.mime_type = d->mime_type;
    f.file_name = file_name_of(*d);
    f.media_kind = kind_of(*d);
    return f;
  }
  if (const auto* media = message.media->get_if<api::messageMediaPhoto>()) {
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
    f.media_kind = "photo";
    return f;
  }
  return no_file;
}

}  // namespace tgget
