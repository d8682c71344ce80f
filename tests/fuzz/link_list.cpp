// The -i list parser (cli/link_list.hpp): any file content. Every item and error names a line
// that exists, items come in line order, and an out= name that is kept is a safe relative path.
#include <algorithm>
#include <string_view>

#include "cli/link_list.hpp"
#include "cli/safe_path.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const tgget::cli::LinkList list = tgget::cli::parse_link_list(content);
  const std::size_t lines = 1 + static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n'));
  std::size_t previous = 0;
  for (const auto& item : list.items) {
    TGGET_FUZZ_CHECK(item.line > previous && item.line <= lines);
    previous = item.line;
    if (item.out) TGGET_FUZZ_CHECK(tgget::cli::check_relative_path(*item.out).ok());
  }
  for (const auto& error : list.errors) TGGET_FUZZ_CHECK(error.line >= 1 && error.line <= lines);
  return 0;
}
