#pragma once
// UTF-8 helpers for names that come from Telegram: decoding that never reads past the end and
// never trusts the bytes, and truncation that never splits a character.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tgget::cli {

// One decoded character: its code point and how many bytes it took. Invalid input (a stray
// continuation byte, a truncated sequence, an overlong form, a surrogate, a value past U+10FFFF)
// decodes as one invalid byte, so callers can replace it and go on.
struct Utf8Char {
  char32_t code_point = 0;
  std::size_t length = 1;
  bool valid = false;
};

// Decodes the character at the start of `text` (which must not be empty).
Utf8Char decode_utf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a character boundary.
// `text` is expected to be valid UTF-8 (sanitised names are).
std::string_view utf8_prefix_bytes(std::string_view text, std::size_t max_bytes);

// The prefix of `text` holding at most `max_chars` characters.
std::string_view utf8_prefix_chars(std::string_view text, std::size_t max_chars);

}  // namespace tgget::cli
