#include <catch2/catch.hpp>

#include <random>

#include "tl/reader.hpp"
#include "tl/writer.hpp"

using namespace mtp;
using namespace mtp::tl;

TEST_CASE("Writer emits little-endian integers, bools and vectors") {
  Writer w;
  w.int32(-2);
  w.uint32(0x60469778);
  w.int64(0x0102030405060708);
  w.boolean(true);
  w.boolean(false);
  w.vector_header(3);
  CHECK(to_hex(w.payload()) ==
        "feffffff78974660" "0807060504030201" "b57572993797" "79bc" "15c4b51c03000000");
}

TEST_CASE("TL bytes use a 1-byte prefix below 254 and 4 bytes from 254, padded to 4") {
  Writer w;
  w.string("abc");  // 1 + 3 = 4: no padding
  w.string("");     // 1 byte + 3 padding
  w.string("hello");  // 1 + 5 + 2 padding
  CHECK(to_hex(w.payload()) == "03616263" "00000000" "0568656c6c6f0000");

  Bytes big(300, 0x5a);
  Writer w2;
  w2.bytes(big);
  // 4-byte header fe 2c 01 00, 300 bytes, 0 padding (304 total)
  REQUIRE(w2.size() == 304);
  CHECK(to_hex(w2.payload().first(4)) == "fe2c0100");
  Bytes b253(253, 1);
  Writer w3;
  w3.bytes(b253);
  CHECK(w3.size() == 256);
  CHECK(w3.payload()[0] == 253);

  Reader r(w.payload());
  CHECK(r.string() == "abc");
  CHECK(r.string().empty());
  CHECK(r.string() == "hello");
  CHECK(r.at_end());
  CHECK(r.ok());
  Reader r2(w2.payload());
  ByteSpan view = r2.bytes_view();
  CHECK(view.size() == 300);
  CHECK(view.data() == w2.payload().data() + 4);  // a view, not a copy
  CHECK(r2.at_end());
}

TEST_CASE("Reader round-trips every primitive") {
  Int128 i128{};
  Int256 i256{};
  for (int i = 0; i < 16; ++i) i128[i] = std::uint8_t(i);
  for (int i = 0; i < 32; ++i) i256[i] = std::uint8_t(100 + i);
  Writer w(24);  // with headroom: the payload must still start after it
  w.int32(INT32_MIN);
  w.int64(INT64_MIN);
  w.int128(i128);
  w.int256(i256);
  w.float64(-1.5);
  w.boolean(true);
  w.vector_header(0);
  REQUIRE(w.buffer().size() == 24 + w.size());
  Reader r(w.payload());
  CHECK(r.int32() == INT32_MIN);
  CHECK(r.int64() == INT64_MIN);
  CHECK(r.int128() == i128);
  CHECK(r.int256() == i256);
  CHECK(r.float64() == -1.5);
  CHECK(r.boolean());
  CHECK(r.vector_header() == 0);
  CHECK(r.ok());
  CHECK(r.at_end());
  CHECK(r.position() == w.size());
}

TEST_CASE("Reader errors are sticky and later reads return zeros") {
  Bytes data = from_hex("01000000 0200");
  Reader r(data);
  CHECK(r.int32() == 1);
  CHECK(r.int32() == 0);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == kErrMalformed);
  CHECK(r.error().type == "TL_TRUNCATED");
  CHECK(r.position() == 4);  // nothing consumed by the failed read
  CHECK(r.int64() == 0);
  CHECK(r.string().empty());
  CHECK(r.error().type == "TL_TRUNCATED");  // the first error is kept
}

TEST_CASE("Reader rejects malformed values") {
  SECTION("bad Bool id") {
    Bytes data = from_hex("01020304");
    Reader r(data);
    CHECK_FALSE(r.boolean());
    CHECK(r.error().type == "TL_BAD_BOOL");
  }
  SECTION("bytes longer than the input") {
    Bytes data = from_hex("0a616263");
    Reader r(data);
    CHECK(r.bytes().empty());
    CHECK(r.error().type == "TL_TRUNCATED");
  }
  SECTION("missing padding is truncation") {
    Bytes data = from_hex("0568656c6c6f00");  // needs 8 bytes
    Reader r(data);
    r.string();
    CHECK_FALSE(r.ok());
  }
  SECTION("length byte 255") {
    Bytes data = from_hex("ff000000");
    Reader r(data);
    r.bytes();
    CHECK(r.error().type == "TL_BAD_LENGTH");
  }
  SECTION("vector id wrong") {
    Bytes data = from_hex("15c4b51d00000000");
    Reader r(data);
    CHECK(r.vector_header() == 0);
    CHECK(r.error().type == "TL_BAD_ID");
  }
  SECTION("vector count larger than the bytes left") {
    Bytes data = from_hex("15c4b51c 03000000 01000000 02000000");
    Reader r(data);
    CHECK(r.vector_header() == 0);
    CHECK(r.error().type == "TL_BAD_LENGTH");
  }
  SECTION("negative vector count") {
    Bytes data = from_hex("15c4b51c ffffffff");
    Reader r(data);
    CHECK(r.vector_header() == 0);
    CHECK(r.error().type == "TL_BAD_LENGTH");
  }
}

TEST_CASE("Reader survives random bytes without reading out of bounds") {
  std::mt19937 rng(20261122);
  int failures = 0;
  for (int round = 0; round < 20000; ++round) {
    Bytes data(rng() % 64);
    for (auto& b : data) b = std::uint8_t(rng());
    // Bias towards structure: sometimes start with a vector id or a long-length byte.
    if (!data.empty() && round % 3 == 0) data[0] = 254;
    Reader r(data);
    while (r.ok() && !r.at_end()) {
      switch (rng() % 6) {
        case 0: (void)r.int32(); break;
        case 1: (void)r.int64(); break;
        case 2: (void)r.bytes_view(); break;
        case 3: (void)r.vector_header(); break;
        case 4: (void)r.boolean(); break;
        case 5: (void)r.int128(); break;
      }
      REQUIRE(r.position() <= data.size());
    }
    if (!r.ok()) ++failures;
  }
  CHECK(failures > 10000);  // random data mostly fails to parse, and it never crashed
}
