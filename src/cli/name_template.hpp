#pragma once
// The --name template: "{chat}/{id}_{filename}", parsed once and rendered for every file into a
// relative path that is safe to create under the target directory.
//
// Fields: chat (the username, else the id), chat_title, chat_id, id (message), topic, date (UTC,
// "%Y-%m-%d" or {date:FORMAT} with %Y %y %m %d %H %M %S %j %F %T %s %%), filename (the document's
// name, else "{id}.{ext}"), ext (from the name, else from the mime type), size (bytes), album (the
// grouped id), caption ({caption:N}: at most N characters). "{{" and "}}" are literal braces. A
// '/' in the template (or in a date format) makes a directory; every value from Telegram is
// sanitised first (no separators, control characters or invalid UTF-8; see safe_path.hpp), so
// only the template decides the directories. Fields that render empty leave no empty directory.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tgget::cli {

// What a file's name can be made of: the message, its chat and its document, as Telegram sent
// them (unsanitised; rendering sanitises).
struct NameFields {
  std::string chat_username;           // empty when the chat has none
  std::string chat_title;
  std::int64_t chat_id = 0;
  std::int32_t message_id = 0;
  std::optional<std::int32_t> topic;
  std::int64_t date = 0;               // unix seconds
  std::string file_name;               // empty when the document has no name
  std::string mime_type;
  std::int64_t size = 0;
  std::optional<std::int64_t> album;   // grouped_id
  std::string caption;
};

class NameTemplate {
 public:
  static constexpr std::string_view kDefault = "{chat}_{id}_{filename}";

  // Errors: TEMPLATE_INVALID (kErrInvalidArgument) for an unknown field (the message lists the
  // known ones), a bad format, an unmatched brace, or literal text that is absolute, has a ".."
  // component, ends with '/' or holds control characters.
  static mtp::Result<NameTemplate> parse(std::string_view text);

  // A relative path, checked with check_relative_path before it is returned (PATH_UNSAFE should
  // never happen; the check is there so that a bug cannot write outside the target directory).
  mtp::Result<std::string> render(const NameFields& fields) const;

  enum class Field { kLiteral, kChat, kChatTitle, kChatId, kId, kTopic, kDate, kFilename, kExt, kSize, kAlbum, kCaption };
  struct Piece {
    Field field = Field::kLiteral;
    std::string text;            // kLiteral: the text; kDate: the format
    std::size_t max_chars = 0;   // kCaption: 0 = whole caption
  };

 private:
  explicit NameTemplate(std::vector<Piece> pieces) : pieces_(std::move(pieces)) {}
  std::vector<Piece> pieces_;
};

// The document's name when it has none: "{id}.{ext}" with ext from the mime type.
std::string fallback_file_name(std::int32_t message_id, std::string_view mime_type);

}  // namespace tgget::cli
