#include <catch2/catch.hpp>

#include <random>
#include <zlib.h>

#include "tl/gzip.hpp"

using namespace mtp;

TEST_CASE("gzip round trip, and zlib-wrapped input is accepted too") {
  std::mt19937 rng(7);
  Bytes data(100000);
  for (auto& b : data) b = std::uint8_t(rng() % 16);  // compressible
  Bytes packed = tl::gzip(data);
  REQUIRE(packed.size() < data.size());
  CHECK(packed[0] == 0x1f);
  CHECK(packed[1] == 0x8b);
  auto back = tl::gunzip(packed);
  REQUIRE(back.ok());
  CHECK(*back == data);

  uLongf zlen = compressBound(uLong(data.size()));
  Bytes z(zlen);
  REQUIRE(compress(z.data(), &zlen, data.data(), uLong(data.size())) == Z_OK);
  z.resize(zlen);
  auto back2 = tl::gunzip(z);
  REQUIRE(back2.ok());
  CHECK(*back2 == data);

  auto empty = tl::gunzip(tl::gzip({}));
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("gunzip enforces its output cap (no zip bombs)") {
  Bytes zeros(10u << 20, 0);  // 10 MiB of zeros deflates to ~10 KiB
  Bytes bomb = tl::gzip(zeros, 9);
  REQUIRE(bomb.size() < 20000);
  auto r = tl::gunzip(bomb, 1u << 20);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().type == "TL_GZIP_TOO_LARGE");
  CHECK(r.error().code == kErrMalformed);

  // Exactly at the cap is fine, one byte less is not.
  Bytes small(5000, 'x');
  Bytes p = tl::gzip(small);
  CHECK(tl::gunzip(p, 5000).ok());
  auto over = tl::gunzip(p, 4999);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().type == "TL_GZIP_TOO_LARGE");
}

TEST_CASE("gunzip rejects corrupt, truncated and trailing data") {
  Bytes data(3000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::uint8_t(i * 7);
  Bytes packed = tl::gzip(data);
  for (std::size_t cut = 0; cut < packed.size(); cut += 7) {
    auto r = tl::gunzip(ByteSpan(packed).first(cut));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().type == "TL_GZIP");
  }
  Bytes trailing = packed;
  trailing.push_back(0);
  CHECK_FALSE(tl::gunzip(trailing).ok());
  Bytes garbage = from_hex("1f8b0800deadbeef0000");
  CHECK_FALSE(tl::gunzip(garbage).ok());
}
