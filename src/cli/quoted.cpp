#include "cli/quoted.hpp"

#include <fmt/format.h>

#include "cli/utf8.hpp"

namespace tgget::cli {

std::string quoted(std::string_view text) {
  constexpr std::size_t kMaxShown = 120;
  std::string out = "\"";
  std::size_t shown = 0;
  std::size_t pos = 0;
  while (pos < text.size() && shown < kMaxShown) {
    const Utf8Char c = decode_utf8(text.substr(pos));
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (!c.valid) {
      out += fmt::format("\\x{:02x}", byte);
    } else if (c.code_point == '\n') {
      out += "\\n";
    } else if (c.code_point == '\t') {
      out += "\\t";
    } else if (c.code_point == '"' || c.code_point == '\\') {
      out += '\\';
      out += static_cast<char>(c.code_point);
    } else if (c.code_point < 0x20 || c.code_point == 0x7F || (c.code_point >= 0x80 && c.code_point < 0xA0)) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(c.code_point));
    } else {
      out.append(text.substr(pos, c.length));
    }
    pos += c.length;
    ++shown;
  }
  if (pos < text.size()) out += "...";
  out += '"';
  return out;
}

}  // namespace tgget::cli
