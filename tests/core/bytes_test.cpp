#include <catch2/catch.hpp>

#include "core/bytes.hpp"

TEST_CASE("hex round trip") {
  mtp::Bytes b = mtp::from_hex("00 01 fe FF\n7a");
  REQUIRE(b == mtp::Bytes{0x00, 0x01, 0xfe, 0xff, 0x7a});
  CHECK(mtp::to_hex(b) == "0001feff7a");
  CHECK(mtp::from_hex("abc").empty());
  CHECK(mtp::from_hex("zz").empty());
}
