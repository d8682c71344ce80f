#include "model.hpp"

#include <array>

namespace tlgen {

std::string to_tl(const TypeRef& t) {
  std::string s;
  if (t.excl) s += '!';
  if (t.percent) s += '%';
  s += t.name;
  if (!t.args.empty()) {
    s += '<';
    for (std::size_t i = 0; i < t.args.size(); ++i) {
      if (i) s += ',';
      s += to_tl(t.args[i]);
    }
    s += '>';
  }
  return s;
}

namespace {

// "Vector<Vector<long>>" -> "Vector Vector long": '<' becomes a space and '>' disappears.
std::string crc_type(const TypeRef& t) {
  std::string s;
  for (char c : to_tl(t)) {
    if (c == '<') s += ' ';
    else if (c != '>') s += c;
  }
  return s;
}

}  // namespace

std::string normalized_declaration(const Combinator& c) {
  std::string s = c.name;
  for (const auto& g : c.generics) s += " " + g + ":Type";
  for (const auto& p : c.params) {
    if (p.is_true_flag()) continue;
    s += " " + p.name + ":";
    if (p.is_conditional()) s += p.cond_field + "." + std::to_string(p.cond_bit) + "?";
    // Only a top-level bytes is spelled string; "Vector<bytes>" keeps its name.
    s += p.type.name == "bytes" && p.type.args.empty() && !p.type.percent ? "string" : crc_type(p.type);
  }
  s += " = " + crc_type(c.result);
  return s;
}

std::uint32_t crc32(const std::string& data) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t v = i;
      for (int k = 0; k < 8; ++k) v = (v & 1) ? 0xEDB88320u ^ (v >> 1) : v >> 1;
      t[i] = v;
    }
    return t;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char ch : data) crc = table[(crc ^ ch) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

}  // namespace tlgen
