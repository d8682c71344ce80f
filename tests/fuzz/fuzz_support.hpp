#pragma once
// Small pieces shared by the harnesses (tests/fuzz/*.cpp). Each harness is one
// LLVMFuzzerTestOneInput; libFuzzer calls it in the fuzz build, replay_main.cpp in the GCC suite.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <optional>

#include "core/bytes.hpp"

namespace tgget::fuzz {

// A harness's own invariant broke (not a mere parse error): abort so libFuzzer keeps the input.
#define TGGET_FUZZ_CHECK(cond)                                                     \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                \
    }                                                                              \
  } while (0)

// Harnesses that feed several messages split their input into records: u16 little-endian
// length, then that many bytes (the last record is cut at the end of the input). A fixed framing
// keeps each message where the fuzzer put it when it mutates another one.
class Records {
 public:
  explicit Records(mtp::ByteSpan data) : rest_(data) {}
  std::optional<mtp::ByteSpan> next() {
    if (rest_.size() < 2) return std::nullopt;
    std::size_t n = rest_[0] | std::size_t{rest_[1]} << 8;
    rest_ = rest_.subspan(2);
    n = std::min(n, rest_.size());
    mtp::ByteSpan record = rest_.first(n);
    rest_ = rest_.subspan(n);
    return record;
  }

 private:
  mtp::ByteSpan rest_;
};

// The same 256 bytes in every run: the harnesses that need an auth key share this one, and so do
// the corpus files made for them (tests/fuzz/record/make_corpus.py).
inline const std::uint8_t* fixed_auth_key() {
  static const auto key = [] {
    static std::uint8_t k[256];
    for (int i = 0; i < 256; ++i) k[i] = static_cast<std::uint8_t>(i * 73 + 41);
    return k;
  }();
  return key;
}

// Reads every byte of a view handed out by the code under test, so ASan sees a view that points
// past its buffer or into freed memory.
inline void touch(mtp::ByteSpan bytes) {
  std::uint8_t x = 0;
  for (std::uint8_t b : bytes) x ^= b;
  static volatile std::uint8_t sink;
  sink = x;
  (void)sink;
}

// xorshift64: chunk sizes and other harness choices, seeded from the input.
struct Choices {
  std::uint64_t s;
  explicit Choices(std::uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
};

}  // namespace tgget::fuzz
