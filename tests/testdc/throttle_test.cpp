#include <catch2/catch.hpp>

#include "rpc_log.hpp"
#include "throttle.hpp"

using testdc::FloodWindow;
using testdc::TokenBucket;

TEST_CASE("token bucket holds a 2 MB/s cap over simulated time") {
  TokenBucket bucket(2'000'000);
  std::int64_t now = 0;
  std::int64_t sent = 0;
  // Send 128 KiB chunks as fast as the bucket allows for 10 simulated seconds.
  while (now < 10'000'000'000) {
    std::int64_t delay = bucket.reserve(128 * 1024, now);
    now += delay;
    sent += 128 * 1024;
  }
  double rate = static_cast<double>(sent) / (static_cast<double>(now) * 1e-9);
  CHECK(rate == Approx(2'000'000).epsilon(0.02));
}

TEST_CASE("an unlimited bucket never delays") {
  TokenBucket bucket(0);
  CHECK(bucket.unlimited());
  CHECK(bucket.reserve(1 << 30, 0) == 0);
}

TEST_CASE("flood window admits `limit` requests per second, then refuses until the window moves") {
  FloodWindow window(3);
  CHECK(window.admit(0));
  CHECK(window.admit(100));
  CHECK(window.admit(200));
  CHECK_FALSE(window.admit(300));
  CHECK_FALSE(window.admit(999'999'999));
  CHECK(window.admit(1'000'000'000));
  FloodWindow off(0);
  for (int i = 0; i < 100; ++i) CHECK(off.admit(i));
}

TEST_CASE("rpc log counts methods and errors for the summary") {
  testdc::RpcLog log;
  log.record({2, 1, 0xabc, "auth.exportAuthorization", 10, 20, "ok"});
  log.record({2, 1, 0xabc, "upload.getFile", 10, 20, "FLOOD_WAIT_1"});
  log.record({2, 2, 0xabc, "upload.getFile", 10, 20, "ok"});
  CHECK(log.count("upload.getFile") == 2);
  CHECK(log.count("auth.exportAuthorization") == 1);
  CHECK(log.count("nothing") == 0);
  CHECK(log.summary() ==
        "summary calls=3 deviations=0\nmethod auth.exportAuthorization 1\nmethod upload.getFile 2\nerror FLOOD_WAIT_1 1\n");
}
