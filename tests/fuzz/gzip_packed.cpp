// gzip_packed inflation with a small cap. Byte 0 even: the rest is a gzip_packed object (id +
// bytes) for unpack_gzip_packed; odd: a raw gzip/zlib stream for gunzip. Whatever inflates stays
// within the cap and comes back unchanged from a deflate/inflate round trip.
#include "fuzz_support.hpp"
#include "tl/container.hpp"
#include "tl/gzip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kCap = 1 << 20;  // small, so that bombs reach it quickly
  if (size < 1) return 0;
  const mtp::ByteSpan input(data + 1, size - 1);
  auto out = (data[0] & 1) ? mtp::tl::gunzip(input, kCap) : mtp::tl::unpack_gzip_packed(input, kCap);
  if (!out) {
    TGGET_FUZZ_CHECK(out.error().code == mtp::kErrMalformed);
    return 0;
  }
  TGGET_FUZZ_CHECK(out->size() <= kCap);
  auto again = mtp::tl::gunzip(mtp::tl::gzip(*out), kCap);
  TGGET_FUZZ_CHECK(again.ok() && *again == *out);
  return 0;
}
