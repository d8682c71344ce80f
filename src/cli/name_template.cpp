#include "cli/name_template.hpp"

#include <array>
#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "cli/date_format.hpp"
#include "cli/mime_extension.hpp"
#include "cli/quoted.hpp"
#include "cli/safe_path.hpp"
#include "cli/utf8.hpp"

namespace tgget::cli {

namespace {

using Field = NameTemplate::Field;
using Piece = NameTemplate::Piece;

constexpr std::array<std::pair<std::string_view, Field>, 11> kFields{{
    {"chat", Field::kChat},     {"chat_title", Field::kChatTitle}, {"chat_id", Field::kChatId},
    {"id", Field::kId},         {"topic", Field::kTopic},          {"date", Field::kDate},
    {"filename", Field::kFilename}, {"ext", Field::kExt},          {"size", Field::kSize},
    {"album", Field::kAlbum},   {"caption", Field::kCaption},
}};
constexpr std::string_view kFieldList = "chat, chat_title, chat_id, id, topic, date, filename, ext, size, album, caption";
constexpr std::string_view kDefaultDateFormat = "%Y-%m-%d";
constexpr std::size_t kMaxCaptionChars = 4096;  // Telegram's own caption limit is lower

mtp::Error invalid(std::string_view text, std::string why) {
  return mtp::Error::local(mtp::kErrInvalidArgument, "TEMPLATE_INVALID", fmt::format("{}: {}", quoted(text), why));
}

// "{name}" or "{name:spec}" -> a Piece, or why it is not one.
mtp::Result<Piece> parse_field(std::string_view tmpl, std::string_view inner) {
  const auto colon = inner.find(':');
  const std::string_view name = inner.substr(0, colon);
  const bool has_spec = colon != std::string_view::npos;
  const std::string_view spec = has_spec ? inner.substr(colon + 1) : std::string_view();
  Piece piece;
  bool known = false;
  for (const auto& [field_name, field] : kFields) {
    if (name == field_name) piece.field = field, known = true;
  }
  if (!known) return invalid(tmpl, fmt::format("unknown field {} (known: {})", quoted(name), kFieldList));
  if (piece.field == Field::kDate) {
    if (has_spec && spec.empty()) return invalid(tmpl, "{date:} needs a format, such as {date:%Y-%m}");
    piece.text = has_spec ? std::string(spec) : std::string(kDefaultDateFormat);
    if (const auto why = date_format_problem(piece.text)) return invalid(tmpl, *why);
  } else if (piece.field == Field::kCaption && has_spec) {
    const auto [end, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), piece.max_chars);
    if (ec != std::errc() || end != spec.data() + spec.size() || piece.max_chars == 0 || piece.max_chars > kMaxCaptionChars) {
      return invalid(tmpl, fmt::format("{{caption:N}} takes a length from 1 to {}, not {}", kMaxCaptionChars, quoted(spec)));
    }
  } else if (has_spec) {
    return invalid(tmpl, fmt::format("{{{}}} takes no format (only date and caption do)", name));
  }
  return piece;
}

// The directories the template itself makes, with every field standing for one name: they must
// stay below the target directory.
mtp::Status check_skeleton(std::string_view tmpl, std::string_view skeleton) {
  if (skeleton.starts_with('/')) return invalid(tmpl, "an absolute path (names are relative to the target directory)");
  if (skeleton.ends_with('/')) return invalid(tmpl, "ends with '/' (the last part is the file name)");
  for (std::size_t start = 0; start <= skeleton.size();) {
    const auto end = std::min(skeleton.find('/', start), skeleton.size());
    const std::string_view component = skeleton.substr(start, end - start);
    if (component == "." || component == "..") {
      return invalid(tmpl, fmt::format("a \"{}\" directory (names stay inside the target directory)", component));
    }
    start = end + 1;
  }
  return {};
}

std::string extension_of(const NameFields& f) {
  const std::string name = sanitize_field(f.file_name);
  const std::string_view extension = split_extension(name).second;
  if (extension.size() > 1) return std::string(extension.substr(1));
  return std::string(extension_for_mime(f.mime_type));
}

// A piece's text: values from Telegram sanitised (they can never add a directory), the
// template's own text and date formats as written.
std::string render_piece(const Piece& piece, const NameFields& f) {
  switch (piece.field) {
    case Field::kLiteral: return piece.text;
    case Field::kChat: return f.chat_username.empty() ? std::to_string(f.chat_id) : sanitize_field(f.chat_username);
    case Field::kChatTitle: return sanitize_field(f.chat_title);
    case Field::kChatId: return std::to_string(f.chat_id);
    case Field::kId: return std::to_string(f.message_id);
    case Field::kTopic: return f.topic ? std::to_string(*f.topic) : std::string();
    case Field::kDate: return format_date(piece.text, f.date);
    case Field::kFilename:
      return f.file_name.empty() ? fallback_file_name(f.message_id, f.mime_type) : sanitize_field(f.file_name);
    case Field::kExt: return extension_of(f);
    case Field::kSize: return std::to_string(f.size);
    case Field::kAlbum: return f.album ? std::to_string(*f.album) : std::string();
    case Field::kCaption: {
      const std::string caption = sanitize_field(f.caption);
      return std::string(piece.max_chars ? utf8_prefix_chars(caption, piece.max_chars) : caption);
    }
  }
  return {};
}

}  // namespace

mtp::Result<NameTemplate> NameTemplate::parse(std::string_view text) {
  if (text.empty()) return invalid(text, "an empty name template");
  std::vector<Piece> pieces;
  std::string skeleton;
  const auto add_literal = [&](char c) {
    if (pieces.empty() || pieces.back().field != Field::kLiteral) pieces.push_back({});
    pieces.back().text += c;
    skeleton += c;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      add_literal(c);
      ++i;
    } else if (c == '{') {
      const auto close = text.find_first_of("{}", i + 1);
      if (close == std::string_view::npos || text[close] != '}') {
        return invalid(text, fmt::format("'{{' at position {} has no '}}' (write {{{{ for a literal brace)", i + 1));
      }
      auto piece = parse_field(text, text.substr(i + 1, close - i - 1));
      if (!piece) return std::move(piece).error();
      pieces.push_back(std::move(*piece));
      skeleton += 'x';
      i = close;
    } else if (c == '}') {
      return invalid(text, fmt::format("'}}' at position {} has no '{{' (write }}}} for a literal brace)", i + 1));
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return invalid(text, "a control character");
    } else {
      add_literal(c);
    }
  }
  MTP_TRY(check_skeleton(text, skeleton));
  return NameTemplate(std::move(pieces));
}

mtp::Result<std::string> NameTemplate::render(const NameFields& fields) const {
  std::string joined;
  for (const Piece& piece : pieces_) joined += render_piece(piece, fields);
  // Split at the template's '/' only (values cannot hold one), then make each part a safe name;
  // a directory that rendered empty is left out rather than made "_".
  std::string path;
  for (std::size_t start = 0; start <= joined.size();) {
    const auto end = std::min(joined.find('/', start), joined.size());
    const std::string_view part = std::string_view(joined).substr(start, end - start);
    const bool last = end == joined.size();
    if (!part.empty() || last) {
      if (!path.empty()) path += '/';
      path += sanitize_component(part);
    }
    start = end + 1;
  }
  MTP_TRY(check_relative_path(path));
  return path;
}

std::string fallback_file_name(std::int32_t message_id, std::string_view mime_type) {
  return fmt::format("{}.{}", message_id, extension_for_mime(mime_type));
}

}  // namespace tgget::cli
