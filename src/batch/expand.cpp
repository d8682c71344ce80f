#include "batch/expand.hpp"

#include <algorithm>
#include <climits>

#include "resolve/chat_walk.hpp"
#include "resolve/resolver.hpp"

namespace tgget::batch {

using mtp::Error;
using mtp::Result;

namespace {

constexpr std::int32_t kAlbumReach = 9;  // an album has at most 10 items, with consecutive ids
// Ranges up to this many ids are fetched by id (channels.getMessages); longer ones are walked in
// the history, which skips the gaps of deleted messages instead of asking for each id.
constexpr std::int32_t kRangeById = 1000;

std::optional<cli::MediaType> media_type_of(const std::string& kind) {
  using T = cli::MediaType;
  static const std::pair<const char*, T> kKinds[] = {{"video", T::kVideo}, {"audio", T::kAudio},
                                                     {"photo", T::kPhoto}, {"document", T::kDocument},
                                                     {"voice", T::kVoice}, {"round", T::kRound},
                                                     {"sticker", T::kSticker}, {"animation", T::kAnimation}};
  for (const auto& [name, type] : kKinds) {
    if (kind == name) return type;
  }
  return std::nullopt;
}

asio::awaitable<Result<PeerRef>> chat_of(engine::Engine& engine, const cli::ChatRef& chat) {
  if (chat.by_id()) co_return co_await engine.channel(chat.channel_id);
  co_return co_await engine.chat(chat.username);
}

// Messages by id; those missing or without a file are skipped with the reason.
asio::awaitable<mtp::Status> add_by_id(engine::Engine& engine, const PeerRef& peer, std::vector<std::int32_t> ids,
                                       Expanded& out) {
  auto files = co_await fetch_message_files(engine.client(), peer, std::move(ids));
  if (!files) co_return files.error();
  for (auto& f : *files) {
    if (f) out.files.push_back(std::move(*f));
    else out.skipped.push_back(f.error().detail);
  }
  co_return mtp::Status{};
}

// Everything newer than min_id (newest first from the server, collected, then sorted).
// Messages with min_id < id < below (0: up to the newest).
asio::awaitable<mtp::Status> add_history(engine::Engine& engine, const PeerRef& peer, std::int32_t min_id,
                                         std::int32_t below, std::optional<std::size_t> enough,
                                         const Filters& filters, Expanded& out) {
  std::int32_t offset = below;
  std::size_t wanted = 0;
  for (;;) {
    auto page = co_await history_page(engine.client(), peer, offset, min_id);
    if (!page) co_return page.error();
    for (auto& item : page->items) {
      if (!item) {
        out.skipped.push_back(item.error().detail);
        continue;
      }
      if (!filters.rejects(*item)) ++wanted;
      out.files.push_back(std::move(*item));
    }
    // --last N: the newest N are in once N pass the filters.
    if (page->end || (enough && wanted >= *enough)) break;
    offset = page->next_offset_id;
  }
  co_return mtp::Status{};
}

}  // namespace

std::optional<std::string> Filters::rejects(const RemoteFile& f) const {
  const std::string what = f.describe();
  if (!types.empty()) {
    const auto type = media_type_of(f.media_kind);
    if (!type || !types.contains(*type)) return what + ": a " + f.media_kind + ", not of the --type asked";
  }
  if (min_size && f.size < *min_size) return what + ": smaller than --min-size";
  if (max_size && f.size > *max_size) return what + ": larger than --max-size";
  if (since && f.date < *since) return what + ": older than --since";
  if (until && f.date > *until) return what + ": newer than --until";
  if (match && !std::regex_search(f.file_name, *match) && !std::regex_search(f.caption, *match)) {
    return what + ": neither its name nor its caption matches --match";
  }
  return std::nullopt;
}

asio::awaitable<Result<Expanded>> expand_link(engine::Engine& engine, const cli::Link& link,
                                              const ExpandOptions& options) {
  auto chat = co_await chat_of(engine, link.chat);
  if (!chat) co_return chat.error();
  PeerRef peer = *chat;
  Expanded out;
  using Kind = cli::MessageSelection::Kind;
  const auto& sel = link.messages;

  if (link.comment) {
    // A comment lives in the channel's discussion group, under its own id there.
    auto group = co_await discussion_group(engine.client(), peer);
    if (!group) co_return group.error();
    auto file = co_await fetch_message_file(engine.client(), *group, *link.comment);
    if (!file) co_return file.error();
    out.files.push_back(std::move(*file));
    co_return out;
  }
  if (sel.kind == Kind::kOne) {
    auto file = co_await fetch_message_file(engine.client(), peer, sel.first);
    if (!file) co_return file.error();
    const std::int64_t album = file->grouped_id;
    if (!options.album || link.single || album == 0) {
      out.files.push_back(std::move(*file));
      co_return out;
    }
    std::vector<std::int32_t> around;
    const std::int64_t from = std::max<std::int64_t>(1, std::int64_t{sel.first} - kAlbumReach);
    const std::int64_t to = std::min<std::int64_t>(INT32_MAX, std::int64_t{sel.first} + kAlbumReach);
    for (std::int64_t id = from; id <= to; ++id) around.push_back(static_cast<std::int32_t>(id));
    Expanded near;
    MTP_CO_TRY(co_await add_by_id(engine, peer, around, near));
    for (auto& f : near.files) {
      if (f.grouped_id == album) out.files.push_back(std::move(f));
    }
    co_return out;
  }

  std::int32_t min_id = 0;  // exclusive
  if (options.only_new) {
    auto newest = engine.store().newest_finished_message(
        peer.kind == PeerKind::kUser ? storage::PeerKind::kUser
                                     : (peer.kind == PeerKind::kChat ? storage::PeerKind::kChat : storage::PeerKind::kChannel),
        peer.id);
    if (!newest) co_return newest.error();
    min_id = *newest;
  }
  if (sel.kind == Kind::kRange && sel.last - sel.first < kRangeById) {
    // A short range by id: each id is reported (a gap is a deleted message, said once).
    std::vector<std::int32_t> ids;
    for (std::int64_t id = std::max<std::int64_t>(sel.first, std::int64_t{min_id} + 1); id <= sel.last; ++id) {
      ids.push_back(static_cast<std::int32_t>(id));
    }
    MTP_CO_TRY(co_await add_by_id(engine, peer, std::move(ids), out));
  } else {
    // A long range, an open one or a whole chat: the history, from its upper end down.
    if (sel.kind != Kind::kWholeChat) min_id = std::max(min_id, sel.first - 1);
    const std::int32_t below = sel.kind == Kind::kRange ? static_cast<std::int32_t>(std::min<std::int64_t>(sel.last + std::int64_t{1}, INT32_MAX)) : 0;
    MTP_CO_TRY(co_await add_history(engine, peer, min_id, below, options.filters.last, options.filters, out));
  }

  // Filters, then --last N of what passed (the newest), then oldest first.
  std::sort(out.files.begin(), out.files.end(),
            [](const RemoteFile& a, const RemoteFile& b) { return a.message_id > b.message_id; });
  std::vector<RemoteFile> kept;
  for (auto& f : out.files) {
    if (auto why = options.filters.rejects(f)) {
      out.skipped.push_back(*why);
    } else if (options.filters.last && kept.size() >= *options.filters.last) {
      continue;  // older than the N newest: not asked for, not worth a line
    } else {
      kept.push_back(std::move(f));
    }
  }
  std::reverse(kept.begin(), kept.end());
  out.files = std::move(kept);
  co_return out;
}

}  // namespace tgget::batch
