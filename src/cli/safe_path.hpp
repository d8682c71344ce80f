#pragma once
// Paths built from what Telegram sends (file names, captions, chat titles) must stay inside the
// target directory and be valid names: this is where that is enforced.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.hpp"

namespace tgget::cli {

// Linux's NAME_MAX (255), less the ".part" a download is written to before its final name: no
// file system tgget writes to takes a longer path component.
inline constexpr std::size_t kMaxComponentBytes = 255 - 5;

// A value for use inside one path component: '/', '\\', control characters (C0, DEL, C1), the
// Unicode bidirectional controls (which make "cod.exe" display as "exe.doc") and bytes that are
// not UTF-8 each become '_'. The result is valid UTF-8 and never holds a separator.
std::string sanitize_field(std::string_view value);

// One whole path component: sanitize_field, then trailing dots and spaces trimmed (so ".", ".."
// and names of only dots disappear), "_" if nothing is left, and at most kMaxComponentBytes
// bytes, cut on a character boundary and keeping the extension. A leading '.' becomes '_': a
// server's ".bashrc" (or "../../.bashrc") must not become a hidden file, nor a dotfile a shell or
// an editor reads (and `ls` never shows).
std::string sanitize_component(std::string_view component);

// "video.mp4" -> {"video", ".mp4"}; ".bashrc" and "README" have no extension. An "extension"
// longer than 32 bytes is taken as part of the name, so truncation never eats a whole name.
std::pair<std::string_view, std::string_view> split_extension(std::string_view name);

// `name` cut to at most `max_bytes` bytes on a UTF-8 boundary, keeping its extension.
std::string truncate_keeping_extension(std::string_view name, std::size_t max_bytes);

// Checks a relative path before it is joined to the target directory: not empty, not absolute,
// no empty, "." or ".." component, no NUL or control character, components of at most
// kMaxComponentBytes. Error: PATH_UNSAFE (kErrInvalidArgument) naming the problem.
mtp::Status check_relative_path(std::string_view path);

}  // namespace tgget::cli
