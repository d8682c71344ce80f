#pragma once
// Bounds-checked TL deserialisation over a byte span.
//
// The reader keeps the FIRST error it meets and turns every later read into a no-op returning
// zeros/empty values, so generated fetch code can read a whole object straight-line and the caller
// checks ok() once at the end (the TDLib tl_parser idea). No read ever touches bytes past the end.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/error.hpp"

namespace mtp::tl {

inline constexpr std::uint32_t kBoolTrueId = 0x997275b5;
inline constexpr std::uint32_t kBoolFalseId = 0xbc799737;
inline constexpr std::uint32_t kVectorId = 0x1cb5c415;

class Reader {
 public:
  Reader() = default;
  explicit Reader(ByteSpan data) : data_(data) {}

  bool ok() const { return !failed_; }
  // The first error met; only meaningful when !ok().
  const Error& error() const { return error_; }
  // Records an error (kept only if it is the first) and stops further reads.
  void fail(std::string type, std::string detail);

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ == data_.size(); }
  // The unread bytes, without consuming them.
  ByteSpan rest() const { return data_.subspan(pos_); }

  std::int32_t int32();
  std::uint32_t uint32();
  std::int64_t int64();
  std::uint64_t uint64();
  Int128 int128();
  Int256 int256();
  double float64();
  // TL Bool: boxed boolTrue/boolFalse; anything else is TL_BAD_BOOL.
  bool boolean();
  // Reads the next 4 bytes without consuming them (0 and an error if fewer remain).
  std::uint32_t peek_uint32();

  // TL bytes/string: a view into the input (no copy). Valid as long as the input buffer.
  ByteSpan bytes_view();
  Bytes bytes();
  std::string string();

  // Boxed vector header (0x1cb5c415 + count). The count is capped by the bytes left, assuming
  // every element takes at least min_element_size bytes, so a hostile count cannot make the
  // caller reserve gigabytes. Returns 0 on error.
  std::uint32_t vector_header(std::size_t min_element_size = 4);
  // Bare vector: only the count, same cap.
  std::uint32_t count(std::size_t min_element_size = 4);

  // Exactly n raw bytes as a view; empty span and TL_TRUNCATED if fewer remain.
  ByteSpan raw(std::size_t n);
  void skip(std::size_t n) { (void)raw(n); }

  // Nesting depth of boxed objects. Generated fetch code enters one level per boxed value, so a
  // hostile message of nested objects fails with TL_TOO_DEEP instead of exhausting the stack.
  static constexpr int kMaxDepth = 100;
  void enter() {
    if (++depth_ > kMaxDepth) fail("TL_TOO_DEEP", "objects nested deeper than " + std::to_string(kMaxDepth));
  }
  void leave() { --depth_; }

 private:
  // Returns a pointer to n readable bytes and advances, or nullptr after recording an error.
  const std::uint8_t* take(std::size_t n, const char* what);

  ByteSpan data_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  int depth_ = 0;
  Error error_;
};

// RAII form of Reader::enter/leave.
class DepthGuard {
 public:
  explicit DepthGuard(Reader& r) : r_(r) { r_.enter(); }
  ~DepthGuard() { r_.leave(); }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  Reader& r_;
};

}  // namespace mtp::tl
