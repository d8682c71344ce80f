#include "cli/safe_path.hpp"

#include <fmt/format.h>

#include "cli/quoted.hpp"
#include "cli/utf8.hpp"

namespace tgget::cli {

namespace {

constexpr std::size_t kMaxExtensionBytes = 32;

bool replaced_in_names(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return true;  // control characters
  if (cp == '/' || cp == '\\') return true;
  if (cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
    return true;  // bidirectional marks, embeddings, overrides and isolates
  }
  return false;
}

std::string_view trim_trailing_dots_and_spaces(std::string_view s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.remove_suffix(1);
  return s;
}

mtp::Error unsafe(std::string_view path, std::string why) {
  return mtp::Error::local(mtp::kErrInvalidArgument, "PATH_UNSAFE", fmt::format("{}: {}", quoted(path), why));
}

}  // namespace

std::string sanitize_field(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t pos = 0; pos < value.size();) {
    const Utf8Char c = decode_utf8(value.substr(pos));
    if (!c.valid || replaced_in_names(c.code_point)) {
      out += '_';
    } else {
      out.append(value.substr(pos, c.length));
    }
    pos += c.length;
  }
  return out;
}

std::pair<std::string_view, std::string_view> split_extension(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || name.size() - dot > kMaxExtensionBytes) return {name, {}};
  return {name.substr(0, dot), name.substr(dot)};
}

std::string truncate_keeping_extension(std::string_view name, std::size_t max_bytes) {
  if (name.size() <= max_bytes) return std::string(name);
  auto [stem, extension] = split_extension(name);
  if (extension.size() >= max_bytes) extension = {};  // only with tiny limits: keep the name instead
  std::string out(utf8_prefix_bytes(stem, max_bytes - extension.size()));
  out += extension;
  return out;
}

std::string sanitize_component(std::string_view component) {
  const std::string clean = sanitize_field(component);
  std::string out = truncate_keeping_extension(trim_trailing_dots_and_spaces(clean), kMaxComponentBytes);
  // A cut without an extension may end in a space or a dot again.
  out.resize(trim_trailing_dots_and_spaces(out).size());
  if (out.empty()) out = "_";
  if (out.front() == '.') out.front() = '_';  // never a hidden file (".bashrc" -> "_bashrc")
  return out;
}

mtp::Status check_relative_path(std::string_view path) {
  if (path.empty()) return unsafe(path, "an empty path");
  if (path.front() == '/') return unsafe(path, "an absolute path (it must stay inside the target directory)");
  for (std::size_t start = 0; start <= path.size();) {
    const auto end = std::min(path.find('/', start), path.size());
    const std::string_view component = path.substr(start, end - start);
    if (component.empty()) return unsafe(path, "an empty path component");
    if (component == "." || component == "..") {
      return unsafe(path, fmt::format("a \"{}\" component (it must stay inside the target directory)", component));
    }
    if (component.size() > kMaxComponentBytes) {
      return unsafe(path, fmt::format("a component of {} bytes (at most {})", component.size(), kMaxComponentBytes));
    }
    for (const char c : component) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return unsafe(path, "a control character");
    }
    start = end + 1;
  }
  return {};
}

}  // namespace tgget::cli
