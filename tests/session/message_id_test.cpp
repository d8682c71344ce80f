#include <catch2/catch.hpp>

#include "session/message_id.hpp"
#include "session/seq_no.hpp"
#include "session_test_support.hpp"

using namespace mtp::session;
using namespace std::chrono;

using session_test::FakeClock;

TEST_CASE("client message ids are divisible by 4 and strictly increasing in one tick") {
  FakeClock clock;
  MessageIdGenerator gen(clock.fn());
  std::int64_t prev = 0;
  for (int i = 0; i < 1000; ++i) {
    std::int64_t id = gen.next();
    CHECK(id % 4 == 0);
    CHECK(id > prev);
    prev = id;
  }
  CHECK(msg_id_unixtime(prev) == 1'700'000'000);
}

TEST_CASE("message ids stay monotonic when the clock steps backwards or the offset shrinks") {
  FakeClock clock;
  MessageIdGenerator gen(clock.fn());
  std::int64_t before = gen.next();
  clock.now -= seconds(40);
  std::int64_t after_step = gen.next();
  CHECK(after_step > before);
  gen.set_server_offset(-seconds(100));
  CHECK(gen.next() > after_step);
  // Once real time passes the old high-water mark, ids follow the clock again.
  clock.now += seconds(200);
  std::int64_t later = gen.next();
  CHECK(msg_id_unixtime(later) == 1'700'000'000 - 40 + 200 - 100);
}

TEST_CASE("a resync after ids ran 40 s ahead of the server (17) moves them back to its time") {
  FakeClock clock;
  MessageIdGenerator client(clock.fn());
  FakeClock server_clock;
  server_clock.now = clock.now - seconds(40);
  MessageIdGenerator server(server_clock.fn());
  const std::int64_t refused = client.next();
  CHECK(msg_id_unixtime(refused) == 1'700'000'000);
  const std::int64_t notification = server.next(MessageIdGenerator::Role::server_other);
  client.sync_with_server_msg_id(notification);
  const std::int64_t first = client.next();
  CHECK(msg_id_unixtime(first) == 1'700'000'000 - 40);
  CHECK(first > notification - 4);
  // and from there on strictly increasing again
  CHECK(client.next() > first);
}

TEST_CASE("server ids use 1 mod 4 for responses and 3 mod 4 otherwise") {
  FakeClock clock;
  MessageIdGenerator gen(clock.fn());
  std::int64_t a = gen.next(MessageIdGenerator::Role::server_response);
  std::int64_t b = gen.next(MessageIdGenerator::Role::server_other);
  std::int64_t c = gen.next(MessageIdGenerator::Role::server_response);
  CHECK(a % 4 == 1);
  CHECK(b % 4 == 3);
  CHECK(c % 4 == 1);
  CHECK(a < b);
  CHECK(b < c);
}

TEST_CASE("syncing with a server message id corrects a clock that is 40 s off") {
  FakeClock clock;
  MessageIdGenerator client(clock.fn());
  FakeClock server_clock;
  server_clock.now = clock.now + seconds(40);
  MessageIdGenerator server(server_clock.fn());
  client.sync_with_server_msg_id(server.next(MessageIdGenerator::Role::server_response));
  std::int64_t id = client.next();
  CHECK(msg_id_unixtime(id) == 1'700'000'040);
  CHECK(client.server_unixtime() == 1'700'000'040);
}

TEST_CASE("seq_no counts content-related messages") {
  SeqNoCounter seq;
  CHECK(seq.next(true) == 1);
  CHECK(seq.next(false) == 2);
  CHECK(seq.next(true) == 3);
  CHECK(seq.next(true) == 5);
  CHECK(seq.next(false) == 6);
  CHECK(seq.content_messages_sent() == 3);
}
