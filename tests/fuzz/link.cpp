// The link parser (cli/link.hpp): any text. A link that parses prints in its canonical t.me form,
// and that form parses back to the same Link (link.hpp promises it).
#include <string_view>

#include "cli/link.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto link = tgget::cli::parse_link(text);
  if (!link) {
    TGGET_FUZZ_CHECK(link.error().is("LINK_INVALID"));
    return 0;
  }
  const std::string canonical = link->to_string();
  auto again = tgget::cli::parse_link(canonical);
  TGGET_FUZZ_CHECK(again.ok());
  TGGET_FUZZ_CHECK(*again == *link);
  TGGET_FUZZ_CHECK(again->to_string() == canonical);
  return 0;
}
