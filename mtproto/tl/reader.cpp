#include "tl/reader.hpp"

#include <bit>
#include <cstring>

namespace mtp::tl {

static_assert(std::endian::native == std::endian::little, "TL is little-endian; so must the host be");

void Reader::fail(std::string type, std::string detail) {
  if (failed_) return;
  failed_ = true;
  error_ = Error::local(kErrMalformed, std::move(type), std::move(detail));
}

const std::uint8_t* Reader::take(std::size_t n, const char* what) {
  if (failed_) return nullptr;
  if (n > remaining()) {
    std::string detail = "reading ";
    detail.append(what).append(" (").append(std::to_string(n)).append(" bytes) at ");
    detail.append(std::to_string(pos_)).append(", ").append(std::to_string(remaining()));
    detail.append(" left");
    fail("TL_TRUNCATED", std::move(detail));
    return nullptr;
  }
  const std::uint8_t* p = data_.data() + pos_;
  pos_ += n;
  return p;
}

namespace {
template <class T>
T load(const std::uint8_t* p) {
  T v{};
  if (p != nullptr) std::memcpy(&v, p, sizeof v);
  return v;
}
}  // namespace

std::int32_t Reader::int32() { return load<std::int32_t>(take(4, "int32")); }
std::uint32_t Reader::uint32() { return load<std::uint32_t>(take(4, "uint32")); }
std::int64_t Reader::int64() { return load<std::int64_t>(take(8, "int64")); }
std::uint64_t Reader::uint64() { return load<std::uint64_t>(take(8, "uint64")); }
Int128 Reader::int128() { return load<Int128>(take(16, "int128")); }
Int256 Reader::int256() { return load<Int256>(take(32, "int256")); }
double Reader::float64() { return load<double>(take(8, "double")); }

std::uint32_t Reader::peek_uint32() {
  if (failed_) return 0;
  if (remaining() < 4) {
    fail("TL_TRUNCATED", "peeking a constructor id at " + std::to_string(pos_));
    return 0;
  }
  return load<std::uint32_t>(data_.data() + pos_);
}

bool Reader::boolean() {
  std::uint32_t id = uint32();
  if (id == kBoolTrueId) return true;
  if (id != kBoolFalseId && ok()) fail("TL_BAD_BOOL", "unexpected Bool id " + std::to_string(id));
  return false;
}

ByteSpan Reader::bytes_view() {
  const std::uint8_t* first = take(1, "bytes length");
  if (first == nullptr) return {};
  std::size_t length = *first;
  std::size_t header = 1;
  if (length == 254) {
    const std::uint8_t* l = take(3, "bytes long length");
    if (l == nullptr) return {};
    length = std::size_t(l[0]) | (std::size_t(l[1]) << 8) | (std::size_t(l[2]) << 16);
    header = 4;
    // A long prefix for fewer than 254 bytes is non-canonical but unambiguous; TDLib accepts it, so
    // do we (peers other than Telegram may emit it).
  } else if (length == 255) {
    fail("TL_BAD_LENGTH", "length byte 255 at " + std::to_string(pos_ - 1));
    return {};
  }
  std::size_t padding = (4 - (header + length) % 4) % 4;
  if (length + padding > remaining()) {
    fail("TL_TRUNCATED", "bytes of length " + std::to_string(length) + " with " +
                             std::to_string(remaining()) + " left");
    return {};
  }
  ByteSpan value = data_.subspan(pos_, length);
  pos_ += length + padding;
  return value;
}

Bytes Reader::bytes() {
  ByteSpan v = bytes_view();
  return Bytes(v.begin(), v.end());
}

std::string Reader::string() {
  ByteSpan v = bytes_view();
  return std::string(reinterpret_cast<const char*>(v.data()), v.size());
}

std::uint32_t Reader::count(std::size_t min_element_size) {
  std::int32_t n = int32();
  if (!ok()) return 0;
  if (n < 0) {
    fail("TL_BAD_LENGTH", "negative vector count " + std::to_string(n));
    return 0;
  }
  if (min_element_size > 0 && std::size_t(n) > remaining() / min_element_size) {
    fail("TL_BAD_LENGTH", "vector count " + std::to_string(n) + " with " +
                              std::to_string(remaining()) + " bytes left");
    return 0;
  }
  return std::uint32_t(n);
}

std::uint32_t Reader::vector_header(std::size_t min_element_size) {
  std::uint32_t id = uint32();
  if (!ok()) return 0;
  if (id != kVectorId) {
    fail("TL_BAD_ID", "expected vector id, got " + std::to_string(id));
    return 0;
  }
  return count(min_element_size);
}

ByteSpan Reader::raw(std::size_t n) {
  const std::uint8_t* p = take(n, "raw bytes");
  if (p == nullptr) return {};
  return ByteSpan(p, n);
}

}  // namespace mtp::tl
