// TL reader: any boxed object or request of either schema, by its constructor id (the generated
// restore_any: fetch with the type's own reader, store again). The writer is canonical while the
// reader accepts a little more (long length prefixes, non-zero padding, unknown flag bits), so
// the bytes may change once; after that they must not: storing what was fetched, fetching it
// again and storing it must give the same bytes.
#include "fuzz_support.hpp"
#include "tl/api_registry.hpp"
#include "tl/mtproto_registry.hpp"

namespace {

template <class Restore>
void check(mtp::ByteSpan input, Restore restore) {
  auto once = restore(input);
  if (!once) return;
  auto twice = restore(*once);
  TGGET_FUZZ_CHECK(twice.ok());
  TGGET_FUZZ_CHECK(*twice == *once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mtp::ByteSpan input(data, size);
  // Constructor ids of the two schemas never collide, so each input is one schema's object.
  check(input, [](mtp::ByteSpan b) { return mtp::tl::api::restore_any(b); });
  check(input, [](mtp::ByteSpan b) { return mtp::tl::mt::restore_any(b); });
  return 0;
}
