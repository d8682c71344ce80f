#include "tl/writer.hpp"

#include <cstring>
#include <stdexcept>

#include "tl/reader.hpp"

namespace mtp::tl {

void Writer::put(const void* p, std::size_t n) {
  if (n == 0) return;
  std::size_t at = buf_.size();
  buf_.resize(at + n);
  std::memcpy(buf_.data() + at, p, n);
}

void Writer::boolean(bool v) { uint32(v ? kBoolTrueId : kBoolFalseId); }

void Writer::bytes(ByteSpan v) {
  // TL lengths are 24-bit; anything larger is a programming error, not input.
  if (v.size() >= (std::size_t(1) << 24)) throw std::length_error("TL bytes longer than 16 MiB");
  std::size_t header;
  if (v.size() < 254) {
    std::uint8_t len = std::uint8_t(v.size());
    put(&len, 1);
    header = 1;
  } else {
    std::uint8_t len[4] = {254, std::uint8_t(v.size()), std::uint8_t(v.size() >> 8),
                           std::uint8_t(v.size() >> 16)};
    put(len, 4);
    header = 4;
  }
  put(v.data(), v.size());
  static constexpr std::uint8_t kZeros[3] = {0, 0, 0};
  put(kZeros, (4 - (header + v.size()) % 4) % 4);
}

void Writer::vector_header(std::uint32_t count) {
  uint32(kVectorId);
  uint32(count);
}

void Writer::patch_uint32(std::size_t at, std::uint32_t v) {
  if (at + 4 > size()) throw std::out_of_range("Writer::patch_uint32 past the end");
  std::memcpy(buf_.data() + headroom_ + at, &v, 4);
}

}  // namespace mtp::tl
