#include "lexer.hpp"

#include <cctype>

namespace tlgen {

namespace {

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

// "// LAYER 228" (any spacing, case-sensitive as tdesktop writes it). Parsed by hand: std::regex
// trips GCC 12's -Wmaybe-uninitialized under the sanitizer build.
bool layer_comment(const std::string& comment, std::string& number) {
  std::size_t i = 2;  // past "//"
  auto skip_spaces = [&] { while (i < comment.size() && (comment[i] == ' ' || comment[i] == '\t')) ++i; };
  skip_spaces();
  if (comment.compare(i, 5, "LAYER") != 0) return false;
  i += 5;
  std::size_t digits_start = i;
  skip_spaces();
  if (i == digits_start) return false;  // "LAYER" must be followed by a space
  std::size_t begin = i;
  while (i < comment.size() && std::isdigit(static_cast<unsigned char>(comment[i]))) ++i;
  if (i == begin || i - begin > 6) return false;
  number = comment.substr(begin, i - begin);
  skip_spaces();
  return i == comment.size();
}

}  // namespace

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  int line = 1;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\n') { ++line; ++i; continue; }
    if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    if (s.compare(i, 2, "//") == 0) {
      std::size_t end = s.find('\n', i);
      if (end == std::string::npos) end = s.size();
      std::string comment = s.substr(i, end - i);
      while (!comment.empty() && (comment.back() == '\r' || comment.back() == ' ')) comment.pop_back();
      std::string number;
      if (layer_comment(comment, number)) out.push_back({Tok::Layer, number, line});
      i = end;
      continue;
    }
    if (s.compare(i, 2, "/*") == 0) {
      std::size_t end = s.find("*/", i + 2);
      if (end == std::string::npos) throw LexError{line, "unterminated /* comment"};
      for (std::size_t k = i; k < end; ++k) line += s[k] == '\n';
      i = end + 2;
      continue;
    }
    if (s.compare(i, 3, "---") == 0) {
      std::size_t end = s.find("---", i + 3);
      if (end == std::string::npos) throw LexError{line, "unterminated --- section marker"};
      std::string name = s.substr(i + 3, end - i - 3);
      if (name != "functions" && name != "types") throw LexError{line, "unknown section ---" + name + "---"};
      out.push_back({Tok::Section, name, line});
      i = end + 3;
      continue;
    }
    if (c == '#') {
      std::size_t j = i + 1;
      while (j < s.size() && std::isxdigit(static_cast<unsigned char>(s[j]))) ++j;
      // An id is glued to the name ("msgs_ack#62d6b459"); a lone '#' is the flags type.
      bool glued = i > 0 && ident_char(s[i - 1]);
      if (glued && j > i + 1 && (j >= s.size() || !ident_char(s[j]))) {
        out.push_back({Tok::HashId, s.substr(i + 1, j - i - 1), line});
        i = j;
      } else {
        out.push_back({Tok::Hash, "#", line});
        ++i;
      }
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({Tok::Number, s.substr(i, j - i), line});
      i = j;
      continue;
    }
    if (ident_char(c)) {
      std::size_t j = i;
      while (j < s.size() && ident_char(s[j])) ++j;
      out.push_back({Tok::Ident, s.substr(i, j - i), line});
      i = j;
      continue;
    }
    if (std::string_view(":?<>{}!%=;*[](),").find(c) != std::string_view::npos) {
      out.push_back({Tok::Punct, std::string(1, c), line});
      ++i;
      continue;
    }
    throw LexError{line, std::string("unexpected character '") + c + "'"};
  }
  out.push_back({Tok::End, "", line});
  return out;
}

}  // namespace tlgen
