#pragma once
// A free name for a file whose name is taken: "video.mp4" -> "video (1).mp4", "video (2).mp4"...
// Pure: the caller says what is taken (files on disk, names other jobs have claimed).
#include <functional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tgget::cli {

using NameTaken = std::function<bool(const std::string& relative_path)>;

// `relative_path` itself when it is free, else the first free "stem (N).ext" in the same
// directory, N = 1..max_attempts; the last component stays within kMaxComponentBytes (the stem
// is shortened on a character boundary). Error: NAME_CLASH (kErrIo) when every one is taken.
mtp::Result<std::string> unique_name(std::string_view relative_path, const NameTaken& taken, int max_attempts = 9999);

}  // namespace tgget::cli
