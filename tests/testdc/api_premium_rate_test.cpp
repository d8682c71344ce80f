// The rate-based premium limit through the API handlers: a non-premium account that pulls more
// than premium_rate_limit bytes/s of upload.getFile over the sliding window gets
// FLOOD_PREMIUM_WAIT_X (X = premium_wait_seconds) for the requests over the rate; a premium
// account never does. Time is the ApiWorld's injected clock: nothing sleeps.
#include "api_test_support.hpp"

using namespace testdc::test;
using testdc::ApiReply;

namespace {


// ApiWorld (big document: 2.5 MiB + 123 bytes) with the given rate conditions and no parallel limit.
struct RateLimited {
  explicit RateLimited(const std::string& conditions) : w(3600, 0, conditions) {}
  ApiWorld w;
  std::shared_ptr<testdc::AuthKeyInfo> free_key = w.login(2, "15550000001", "12345");
  api::document big = document_of(fetch_message(w, 2, free_key, 2));

  ApiReply get(const std::shared_ptr<testdc::AuthKeyInfo>& key, std::int64_t offset, std::int64_t limit,
               std::uint64_t connection = 1) {
    api::upload_getFile req;
    req.location = location_of(big);
    req.offset = offset;
    req.limit = static_cast<std::int32_t>(limit);
    return w.call(2, key, req, connection);
  }
  ApiReply get(std::int64_t offset, std::int64_t limit, std::uint64_t connection = 1) {
    return get(free_key, offset, limit, connection);
  }
};

bool served(const ApiReply& reply) { return !reply.error.has_value(); }

}  // namespace

TEST_CASE("premium_rate_limit: a free account past B bytes/s over the window gets FLOOD_PREMIUM_WAIT_3") {
  RateLimited d(R"("premium_rate_limit": 1048576)");  // 1 MiB/s; window 1000 ms and X = 3 by default
  // t = 0: 1 MiB fits the window exactly; a byte more does not, whichever connection asks.
  CHECK(served(d.get(0, 512 * kKiB)));
  CHECK(served(d.get(512 * kKiB, 512 * kKiB, 2)));
  CHECK(error_of(d.get(kMiB, 4 * kKiB)) == "FLOOD_PREMIUM_WAIT_3 420");
  CHECK(error_of(d.get(kMiB, 4 * kKiB, 3)) == "FLOOD_PREMIUM_WAIT_3 420");
  d.w.advance_ms(999);  // t = 999: both parts are still in the window
  CHECK(error_of(d.get(kMiB, 4 * kKiB)) == "FLOOD_PREMIUM_WAIT_3 420");
  d.w.advance_ms(1);  // t = 1000: they left it; the refusals cost nothing
  CHECK(served(d.get(kMiB, 512 * kKiB)));  // A at 1000
  d.w.advance_ms(500);
  CHECK(served(d.get(kMiB + 512 * kKiB, 512 * kKiB)));  // B at 1500
  d.w.advance_ms(100);
  CHECK(error_of(d.get(2 * kMiB, 4 * kKiB)) == "FLOOD_PREMIUM_WAIT_3 420");
  d.w.advance_ms(400);  // t = 2000: A left, B is still in: half the window is free
  CHECK(served(d.get(0, 512 * kKiB)));
  CHECK(error_of(d.get(512 * kKiB, 4 * kKiB)) == "FLOOD_PREMIUM_WAIT_3 420");
}

TEST_CASE("premium_rate_limit never limits a premium account") {
  RateLimited d(R"("premium_rate_limit": 1048576)");
  auto premium = d.w.login(2, "15550000004", "44444");
  for (int i = 0; i < 20; ++i) CHECK(served(d.get(premium, (i % 2) * kMiB, kMiB, static_cast<std::uint64_t>(i))));
  // ...and its traffic is not charged to anyone: the free account still has its whole window.
  CHECK(served(d.get(0, kMiB)));
  CHECK(error_of(d.get(kMiB, 4 * kKiB)) == "FLOOD_PREMIUM_WAIT_3 420");
}

TEST_CASE("premium_rate_limit: premium_wait_seconds is the X, premium_rate_window_ms the window") {
  // 1 MiB/s over 500 ms: 512 KiB per window.
  RateLimited d(R"("premium_rate_limit": 1048576, "premium_rate_window_ms": 500, "premium_wait_seconds": 7)");
  CHECK(served(d.get(0, 512 * kKiB)));
  CHECK(error_of(d.get(512 * kKiB, 4 * kKiB)) == "FLOOD_PREMIUM_WAIT_7 420");
  d.w.advance_ms(499);
  CHECK(error_of(d.get(512 * kKiB, 4 * kKiB)) == "FLOOD_PREMIUM_WAIT_7 420");
  d.w.advance_ms(1);
  CHECK(served(d.get(512 * kKiB, 512 * kKiB)));
}

TEST_CASE("premium_rate_limit charges the bytes sent, and a part larger than the allowance passes an empty window") {
  RateLimited d(R"("premium_rate_limit": 100000)");  // less than one 1 MiB part per second
  CHECK(served(d.get(0, kMiB)));
  CHECK(error_of(d.get(kMiB, 4 * kKiB)) == "FLOOD_PREMIUM_WAIT_3 420");
  // An empty part (past the end) sends nothing: never refused, even over the rate.
  CHECK(served(d.get(3 * kMiB, 4 * kKiB)));
  d.w.advance_ms(1000);
  // The last part is 512 KiB + 123 bytes: the 123 bytes sent count, not the 512 KiB asked for.
  CHECK(served(d.get(2 * kMiB + 512 * kKiB, 512 * kKiB)));
  CHECK(served(d.get(0, 64 * kKiB)));                                        // 65659 of 100000
  CHECK(served(d.get(64 * kKiB, 32 * kKiB)));                                // 98427
  CHECK(error_of(d.get(96 * kKiB, 4 * kKiB)) == "FLOOD_PREMIUM_WAIT_3 420");  // 102523
}

TEST_CASE("premium_rate_limit off by default, the manifest keys, refused when out of range") {
  RateLimited off("");
  for (int i = 0; i < 10; ++i) CHECK(served(off.get(0, kMiB)));

  auto world = testdc::load_manifest(
      R"({"conditions": {"premium_rate_limit": 5000000, "premium_rate_window_ms": 250, "premium_wait_seconds": 9}})", ".");
  REQUIRE(world.ok());
  CHECK(world->conditions.premium_rate_limit == 5'000'000);
  CHECK(world->conditions.premium_rate_window_ms == 250);
  CHECK(world->conditions.premium_wait_seconds == 9);
  auto defaults = testdc::load_manifest("{}", ".");
  REQUIRE(defaults.ok());
  CHECK(defaults->conditions.premium_rate_limit == 0);
  CHECK(defaults->conditions.premium_rate_window_ms == 1000);
  CHECK(defaults->conditions.premium_wait_seconds == 3);
  for (const char* bad : {R"("premium_rate_limit": -1)", R"("premium_rate_window_ms": 0)", R"("premium_wait_seconds": 0)"}) {
    INFO(bad);
    auto refused = testdc::load_manifest(std::string(R"({"conditions": {)") + bad + "}}", ".");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().type == "MANIFEST_INVALID");
  }
}
