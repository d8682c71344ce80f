#pragma once
// The -i FILE list (aria2's input-file format): one link per line; blank lines and lines whose
// first non-blank character is '#' are ignored; a line indented by spaces or tabs is an option of
// the link above it, and the one option is out=NAME (the output name, a relative path). A BOM at
// the start and CRLF line ends are tolerated. A bad line is reported with its number and skipped
// (with the options under it); the rest of the list is kept.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/link.hpp"
#include "core/error.hpp"

namespace tgget::cli {

struct LinkListItem {
  std::string text;               // the link as written (trimmed)
  Link link;
  std::optional<std::string> out; // from an out= line under it
  std::size_t line = 0;           // 1-based line of the link
};

struct LinkListError {
  std::size_t line = 0;           // 1-based
  mtp::Error error;               // LINK_INVALID for a bad link, LIST_INVALID or PATH_UNSAFE for an option
};

struct LinkList {
  std::vector<LinkListItem> items;
  std::vector<LinkListError> errors;
};

LinkList parse_link_list(std::string_view content);

}  // namespace tgget::cli
