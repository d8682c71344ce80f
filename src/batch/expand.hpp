#pragma once
// A parsed link → the files it names: one message (or, with --album, every item of its album),
// a range of ids (channels.getMessages, 100 per call), everything from an id on or a whole chat
// (messages.getHistory, 100 per call), a comment in the channel's discussion group, and, with
// --new, only what is newer than the newest message already fetched from that chat. Messages
// without a file are reported and skipped, never an error for the rest; so are those the filters
// leave out. Files come oldest first, so a mirror grows in order.
#include <asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <regex>

#include "cli/link.hpp"
#include "cli/units.hpp"
#include "engine/engine.hpp"

namespace tgget::batch {

struct Filters {
  cli::MediaTypes types;                  // empty: every type
  std::optional<std::int64_t> min_size, max_size;
  std::optional<std::int64_t> since, until;  // unix seconds, both included
  std::optional<std::size_t> last;           // the N newest that pass the other filters
  std::optional<std::regex> match;           // file name or caption

  // Why `file` is left out, or nullopt when it is wanted.
  std::optional<std::string> rejects(const RemoteFile& file) const;
};

struct ExpandOptions {
  bool album = false;
  bool only_new = false;
  Filters filters;
};

struct Expanded {
  std::vector<RemoteFile> files;  // oldest first
  // Messages named but not downloaded, and why ("message 42 of @chan has no file").
  std::vector<std::string> skipped;
};

// Errors: the chat cannot be resolved (CHAT_NOT_FOUND, ...), a request failed; a single message
// that does not exist or has no file is an error too (it was asked for by name).
asio::awaitable<mtp::Result<Expanded>> expand_link(engine::Engine& engine, const cli::Link& link,
                                                   const ExpandOptions& options);

}  // namespace tgget::batch
