#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/result.hpp"

using mtp::Error;

TEST_CASE("rpc errors split into type and numeric value") {
  Error e = Error::rpc(420, "FLOOD_WAIT_17");
  CHECK(e.code == 420);
  CHECK(e.type == "FLOOD_WAIT");
  REQUIRE(e.value);
  CHECK(*e.value == 17);
  CHECK(e.to_string() == "FLOOD_WAIT_17 (420)");

  Error migrate = Error::rpc(303, "FILE_MIGRATE_4");
  CHECK(migrate.type == "FILE_MIGRATE");
  CHECK(migrate.value == 4);
}

TEST_CASE("rpc errors without a numeric suffix keep their whole message") {
  Error e = Error::rpc(400, "LIMIT_INVALID");
  CHECK(e.type == "LIMIT_INVALID");
  CHECK_FALSE(e.value);
  Error odd = Error::rpc(400, "SOMETHING_12X");
  CHECK(odd.type == "SOMETHING_12X");
  CHECK_FALSE(odd.value);
  Error trailing = Error::rpc(400, "TRAILING_");
  CHECK(trailing.type == "TRAILING_");
}

TEST_CASE("Result carries a value or an error") {
  mtp::Result<int> good = 5;
  REQUIRE(good.ok());
  CHECK(*good == 5);
  mtp::Result<int> bad = Error::local(mtp::kErrMalformed, "TL_TRUNCATED", "int32 at 4");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().type == "TL_TRUNCATED");
  CHECK_FALSE(bad.error().is_rpc());

  auto chain = [](bool fail) -> mtp::Status {
    auto inner = [&]() -> mtp::Result<int> {
      if (fail) return Error::local(mtp::kErrIo, "IO");
      return 1;
    };
    MTP_TRY(inner());
    return {};
  };
  CHECK(chain(false).ok());
  CHECK(chain(true).error().type == "IO");
}
