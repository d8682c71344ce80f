#pragma once
// TL serialisation into an owned, growing buffer.
//
// A writer may be created with headroom: that many zero bytes are reserved in front of the TL
// payload, so the transport/encryption layers can fill their headers in place instead of copying
// the payload into a new buffer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/bytes.hpp"

namespace mtp::tl {

class Writer {
 public:
  Writer() = default;
  explicit Writer(std::size_t headroom) : buf_(headroom, 0), headroom_(headroom) {}

  void int32(std::int32_t v) { put(&v, 4); }
  void uint32(std::uint32_t v) { put(&v, 4); }
  void int64(std::int64_t v) { put(&v, 8); }
  void uint64(std::uint64_t v) { put(&v, 8); }
  void int128(const Int128& v) { put(v.data(), v.size()); }
  void int256(const Int256& v) { put(v.data(), v.size()); }
  void float64(double v) { put(&v, 8); }
  void boolean(bool v);
  // TL bytes/string: 1- or 4-byte length prefix, padded with zeros to a multiple of 4.
  void bytes(ByteSpan v);
  void string(std::string_view v) { bytes(as_bytes(v)); }
  void vector_header(std::uint32_t count);  // boxed: 0x1cb5c415 + count
  void count(std::uint32_t n) { uint32(n); }  // bare vector
  void raw(ByteSpan v) { put(v.data(), v.size()); }

  void reserve(std::size_t payload_bytes) { buf_.reserve(headroom_ + payload_bytes); }
  // Overwrites 4 bytes at payload offset `at` (for lengths known only after writing what follows).
  void patch_uint32(std::size_t at, std::uint32_t v);

  std::size_t headroom() const { return headroom_; }
  // Payload size (headroom excluded).
  std::size_t size() const { return buf_.size() - headroom_; }
  ByteSpan payload() const { return ByteSpan(buf_).subspan(headroom_); }
  // The whole buffer, headroom included.
  Bytes& buffer() { return buf_; }
  // Moves the whole buffer (headroom included) out; the writer is left empty.
  Bytes take() { headroom_ = 0; return std::move(buf_); }

 private:
  void put(const void* p, std::size_t n);

  Bytes buf_;
  std::size_t headroom_ = 0;
};

}  // namespace mtp::tl
