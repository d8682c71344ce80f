// DcDirectory: production addresses, dc_options replacing them, media addresses preferred for file
// traffic and never used for API calls, the cache format round trip and its rejection of damage.
#include <catch2/catch.hpp>

#include "dc/dc_address.hpp"

using mtp::dc::DcAddress;
using mtp::dc::DcDirectory;
using mtp::dc::Purpose;

TEST_CASE("production directory: DCs 1..5 on 443, IPv4 unless IPv6 is preferred") {
  const auto d = DcDirectory::production();
  for (int dc = 1; dc <= 5; ++dc) {
    auto v4 = d.pick(dc, Purpose::kMain);
    REQUIRE(v4);
    CHECK_FALSE(v4->ipv6);
    CHECK(v4->port == 443);
    auto v6 = d.pick(dc, Purpose::kMain, true);
    REQUIRE(v6);
    CHECK(v6->ipv6);
  }
  CHECK(d.pick(2, Purpose::kMain)->host == "149.154.167.51");
  CHECK_FALSE(d.pick(6, Purpose::kMain));
}

TEST_CASE("dc_options: media-only for files, main for API calls, CDN and broken entries dropped") {
  DcDirectory d;
  d.replace({DcAddress{2, "10.0.0.2", 443, false, false, false, false, {}},
             DcAddress{2, "10.0.0.3", 443, false, true, false, false, {}},
             DcAddress{4, "10.0.0.4", 443, false, false, false, false, {}},
             DcAddress{203, "10.0.0.203", 443, false, false, true, false, {}},
             DcAddress{5, "", 443, false, false, false, false, {}}});
  CHECK(d.pick(2, Purpose::kMain)->host == "10.0.0.2");
  CHECK(d.pick(2, Purpose::kMedia)->host == "10.0.0.3");
  CHECK(d.pick(4, Purpose::kMedia)->host == "10.0.0.4");  // no media address: the main one
  CHECK_FALSE(d.knows(203));
  CHECK_FALSE(d.knows(5));
  CHECK_FALSE(d.knows(1));
}

TEST_CASE("an empty dc_options list keeps the known addresses") {
  auto d = DcDirectory::single(2, "127.0.0.1", 1000);
  d.replace({});
  CHECK(d.pick(2, Purpose::kMain)->port == 1000);
}

TEST_CASE("the cache format round-trips and rejects damage") {
  DcDirectory d;
  d.replace({DcAddress{2, "127.0.0.1", 1000, false, false, false, false, {}},
             DcAddress{2, "::1", 1002, true, true, false, false, {}},
             DcAddress{4, "127.0.0.1", 1004, false, false, false, true, {0xde, 0xad}}});
  auto back = DcDirectory::deserialize(d.serialize());
  REQUIRE(back);
  CHECK(back->all() == d.all());
  CHECK_FALSE(DcDirectory::deserialize(""));
  CHECK_FALSE(DcDirectory::deserialize("2\t127.0.0.1\t99999\t0000\n"));
  CHECK_FALSE(DcDirectory::deserialize("2\t127.0.0.1\t443\t00\n"));
  CHECK_FALSE(DcDirectory::deserialize("2\t127.0.0.1\t443\t0000\tnothex\n"));
}

TEST_CASE("an address given explicitly wins over learned and cached dc_options") {
  // TGGET_SERVER=127.0.0.1:1000 for DC 2, and the account's store remembers other addresses.
  auto d = DcDirectory::single(2, "127.0.0.1", 1000);
  const std::vector<DcAddress> learned{DcAddress{2, "10.0.0.2", 443, false, false, false, false, {}},
                                       DcAddress{2, "::2", 443, true, false, false, false, {}},
                                       DcAddress{2, "10.0.0.3", 443, false, true, false, false, {}},
                                       DcAddress{4, "10.0.0.4", 443, false, false, false, false, {}}};
  d.replace(learned);
  CHECK(d.pick(2, Purpose::kMain)->port == 1000);
  CHECK(d.pick(2, Purpose::kMain, true)->port == 1000);  // no learned IPv6 address sneaks in
  CHECK(d.pick(2, Purpose::kMedia)->host == "10.0.0.3");  // the server's media address stays
  CHECK(d.pick(4, Purpose::kMain)->host == "10.0.0.4");
  // What is cached is what the server said, never the pin; loading the cache keeps the pin.
  auto cached = DcDirectory::deserialize(d.serialize());
  REQUIRE(cached);
  CHECK(cached->all().size() == 2);
  auto next_run = DcDirectory::single(2, "127.0.0.1", 2000);
  next_run.replace(cached->all());
  CHECK(next_run.pick(2, Purpose::kMain)->port == 2000);
  // Pinning again replaces the earlier pin.
  next_run.pin(DcAddress{2, "127.0.0.1", 3000, false, false, false, false, {}});
  CHECK(next_run.pick(2, Purpose::kMain)->port == 3000);
  CHECK(next_run.all().size() == 3);
}
