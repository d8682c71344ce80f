#include "crypto/sha256_stream.hpp"

#include <cstring>

#include "crypto/aes_ni_sha.hpp"
#include "crypto/sha256_constants.hpp"

namespace mtp::crypto {
namespace {

constexpr std::array<std::uint32_t, 8> kInitial = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};


constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// FIPS 180-4 6.2.2, for CPUs without SHA-NI (the engine's hashes then cost what OpenSSL's would).
void compress_portable(std::uint32_t h[8], const std::uint8_t* p) {
  std::uint32_t w[64];
  for (int t = 0; t < 16; ++t) {
    w[t] = std::uint32_t{p[4 * t]} << 24 | std::uint32_t{p[4 * t + 1]} << 16 | std::uint32_t{p[4 * t + 2]} << 8 |
           p[4 * t + 3];
  }
  for (int t = 16; t < 64; ++t) {
    const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int t = 0; t < 64; ++t) {
    const std::uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + detail::kSha256RoundConstants[t] + w[t];
    const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void compress(std::uint32_t h[8], const std::uint8_t* data, std::size_t blocks) {
  if (aes_ni::sha_available()) return aes_ni::sha256_blocks(h, data, blocks);
  for (std::size_t b = 0; b < blocks; ++b) compress_portable(h, data + 64 * b);
}

}  // namespace

namespace detail {
void sha256_blocks_portable(std::uint32_t h[8], const std::uint8_t* data, std::size_t blocks) {
  for (std::size_t b = 0; b < blocks; ++b) compress_portable(h, data + 64 * b);
}
}  // namespace detail

Sha256Stream::Sha256Stream() : h_(kInitial) {}

void Sha256Stream::absorb(const std::uint8_t* data, std::size_t blocks) { compress(h_.data(), data, blocks); }

void Sha256Stream::update(ByteSpan data) {
  std::size_t at = 0;
  std::size_t buffered = length_ % 64;
  length_ += data.size();
  if (buffered) {
    const std::size_t take = std::min(data.size(), 64 - buffered);
    std::memcpy(buffer_.data() + buffered, data.data(), take);
    at = take;
    if (buffered + take < 64) return;
    absorb(buffer_.data(), 1);
  }
  const std::size_t blocks = (data.size() - at) / 64;
  if (blocks) absorb(data.data() + at, blocks);
  at += blocks * 64;
  if (at < data.size()) std::memcpy(buffer_.data(), data.data() + at, data.size() - at);
}

Sha256Digest Sha256Stream::digest() const {
  std::array<std::uint32_t, 8> h = h_;
  const std::size_t buffered = length_ % 64;
  std::uint8_t tail[128] = {};
  std::memcpy(tail, buffer_.data(), buffered);
  tail[buffered] = 0x80;
  const std::size_t blocks = buffered + 9 <= 64 ? 1 : 2;
  const std::uint64_t bits = length_ * 8;
  for (int i = 0; i < 8; ++i) tail[blocks * 64 - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  compress(h.data(), tail, blocks);
  Sha256Digest out;
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
  }
  return out;
}

void update_both(Sha256Stream& a, Sha256Stream& b, ByteSpan data) {
  // The interleaved path needs both streams on a block boundary (parts and windows start at
  // multiples of 128 KiB, so they are); anything else takes the plain path.
  const std::size_t blocks = data.size() / 64;
  if (a.length_ % 64 != 0 || b.length_ % 64 != 0 || blocks == 0 || !aes_ni::sha_available()) {
    a.update(data);
    b.update(data);
    return;
  }
  aes_ni::sha256_blocks_2x(a.h_.data(), b.h_.data(), data.data(), blocks);
  a.length_ += blocks * 64;
  b.length_ += blocks * 64;
  const ByteSpan rest = data.subspan(blocks * 64);
  a.update(rest);
  b.update(rest);
}

}  // namespace mtp::crypto
