#include "cli/unique_name.hpp"

#include <fmt/format.h>

#include "cli/quoted.hpp"
#include "cli/safe_path.hpp"
#include "cli/utf8.hpp"

namespace tgget::cli {

mtp::Result<std::string> unique_name(std::string_view relative_path, const NameTaken& taken, int max_attempts) {
  std::string candidate(relative_path);
  if (!taken(candidate)) return candidate;
  const auto slash = relative_path.rfind('/');
  const std::string_view directory = slash == std::string_view::npos ? std::string_view() : relative_path.substr(0, slash + 1);
  const std::string_view name = relative_path.substr(directory.size());
  const auto [stem, extension] = split_extension(name);
  for (int n = 1; n <= max_attempts; ++n) {
    const std::string suffix = fmt::format(" ({})", n);
    const std::size_t room = kMaxComponentBytes > suffix.size() + extension.size()
                                 ? kMaxComponentBytes - suffix.size() - extension.size() : 0;
    candidate = fmt::format("{}{}{}{}", directory, utf8_prefix_bytes(stem, room), suffix, extension);
    if (!taken(candidate)) return candidate;
  }
  return mtp::Error::local(mtp::kErrIo, "NAME_CLASH",
                           fmt::format("{}: {} other files already have this name", quoted(relative_path), max_attempts));
}

}  // namespace tgget::cli
