// PartPlanner bookkeeping: part boundaries at every edge, the part-size rule, ok / failed /
// reissue sequences with stale answers, received vs durable, and misuse as error values.
#include <catch2/catch.hpp>

#include <vector>

#include "engine/part_planner.hpp"
#include "engine_test_support.hpp"

using namespace tgget::engine;
using engine_test::error_type;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kKiB = 1024;

PartPlanner make(std::uint64_t size, std::uint32_t part_size) {
  auto plan = PartPlanner::create(size, part_size);
  REQUIRE(plan.ok());
  return std::move(plan).value();
}

std::vector<Part> drain(PartPlanner& plan) {
  std::vector<Part> parts;
  while (auto p = plan.next()) parts.push_back(*p);
  return parts;
}

std::vector<std::uint32_t> indices(const std::vector<Part>& parts) {
  std::vector<std::uint32_t> out;
  for (const Part& p : parts) out.push_back(p.index);
  return out;
}

}  // namespace

TEST_CASE("parts cover the file exactly: every offset and length, and the short last part") {
  struct Edge {
    std::uint64_t size;
    std::uint32_t part_size;
    std::uint32_t count;
    std::uint32_t last_length;
  };
  const Edge edges[] = {
      {0, 1 << 20, 0, 0},
      {1, 1 << 20, 1, 1},
      {4095, 1 << 20, 1, 4095},
      {4096, 1 << 20, 1, 4096},
      {kMiB - 1, 1 << 20, 1, static_cast<std::uint32_t>(kMiB - 1)},
      {kMiB, 1 << 20, 1, static_cast<std::uint32_t>(kMiB)},
      {kMiB + 1, 1 << 20, 2, 1},
      {3 * kMiB + 17, 1 << 20, 4, 17},
      {1, 4096, 1, 1},
      {4095, 4096, 1, 4095},
      {4096, 4096, 1, 4096},
      {4097, 4096, 2, 1},
      {kMiB - 1, 4096, 256, 4095},
      {kMiB, 4096, 256, 4096},
      {kMiB + 1, 4096, 257, 1},
      {3 * kMiB + 17, 128 * 1024, 25, 17},
      {3 * kMiB + 17, 4096, 769, 17},
  };
  for (const Edge& e : edges) {
    CAPTURE(e.size, e.part_size);
    PartPlanner plan = make(e.size, e.part_size);
    REQUIRE(plan.part_count() == e.count);
    const std::vector<Part> parts = drain(plan);
    REQUIRE(parts.size() == e.count);
    std::uint64_t covered = 0;
    for (std::uint32_t i = 0; i < e.count; ++i) {
      CAPTURE(i);
      CHECK(parts[i].index == i);
      CHECK(parts[i].offset == std::uint64_t{i} * e.part_size);
      CHECK(parts[i].length == (i + 1 == e.count ? e.last_length : e.part_size));
      CHECK(plan.part(i) == parts[i]);
      covered += parts[i].length;
    }
    CHECK(covered == e.size);
    CHECK(plan.requests_in_flight() == e.count);
    CHECK(plan.complete() == (e.count == 0));
  }
}

TEST_CASE("a 0-byte file has no parts and is complete at once") {
  PartPlanner plan = make(0, 1 << 20);
  CHECK(plan.complete());
  CHECK(plan.parts_missing() == 0);
  CHECK_FALSE(plan.next());
  CHECK(plan.take_received().empty());
  CHECK(plan.bytes_done() == 0);
}

TEST_CASE("part sizes: powers of two from 4 KiB to 1 MiB only, and too many parts refused") {
  for (std::uint32_t size = 4096; size <= (1u << 20); size *= 2) CHECK(PartPlanner::create(10, size).ok());
  for (const std::uint32_t bad : {0u, 1u, 1000u, 2048u, 4097u, 3u * 4096u, 1u << 21, 0xffffffffu}) {
    CAPTURE(bad);
    auto plan = PartPlanner::create(10, bad);
    REQUIRE_FALSE(plan.ok());
    CHECK(error_type(plan) == "PLAN_PART_SIZE");
    CHECK(plan.error().code == mtp::kErrInvalidArgument);
  }
  CHECK(PartPlanner::create(std::uint64_t{kMaxPartCount} * 4096, 4096).ok());
  auto huge = PartPlanner::create(std::uint64_t{kMaxPartCount} * 4096 + 1, 4096);
  REQUIRE_FALSE(huge.ok());
  CHECK(error_type(huge) == "PLAN_TOO_MANY_PARTS");
  CHECK_FALSE(PartPlanner::create(~std::uint64_t{0}, 1 << 20).ok());
}

TEST_CASE("choose_part_size: at least 8 parts from 128 KiB up, 1 MiB from 8 MiB") {
  CHECK(choose_part_size(0) == 128 * kKiB);
  CHECK(choose_part_size(1) == 128 * kKiB);
  CHECK(choose_part_size(100 * kKiB) == 128 * kKiB);
  CHECK(choose_part_size(2 * kMiB - 1) == 128 * kKiB);
  CHECK(choose_part_size(2 * kMiB) == 256 * kKiB);
  CHECK(choose_part_size(4 * kMiB - 1) == 256 * kKiB);
  CHECK(choose_part_size(4 * kMiB) == 512 * kKiB);
  CHECK(choose_part_size(8 * kMiB - 1) == 512 * kKiB);
  CHECK(choose_part_size(8 * kMiB) == kMiB);
  CHECK(choose_part_size(4000 * kMiB) == kMiB);
  CHECK(choose_part_size(~std::uint64_t{0}) == kMiB);
  for (std::uint64_t size = 1; size < 64 * kMiB; size = size * 3 + 1) {
    CAPTURE(size);
    const std::uint32_t ps = choose_part_size(size);
    CHECK(valid_part_size(ps));
    CHECK((ps == 128 * kKiB || size >= 8 * std::uint64_t{ps}));
  }
}

TEST_CASE("a failed part goes back to the front, and every misuse is an error value") {
  PartPlanner plan = make(5 * 4096, 4096);
  CHECK(indices(drain(plan)) == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
  REQUIRE(plan.failed(3).ok());
  REQUIRE(plan.failed(1).ok());
  CHECK(plan.state(1) == PartState::kPending);
  CHECK(plan.requests_in_flight() == 3);
  // The lowest pending part first, whatever order they failed in.
  CHECK(plan.next()->index == 1);
  CHECK(plan.next()->index == 3);
  CHECK_FALSE(plan.next());

  REQUIRE(plan.ok(0).ok());
  auto twice = plan.ok(0);  // no request of part 0 is out any more
  REQUIRE_FALSE(twice.ok());
  CHECK(error_type(twice) == "PLAN_NOT_IN_FLIGHT");
  CHECK(error_type(plan.failed(0)) == "PLAN_NOT_IN_FLIGHT");
  CHECK(error_type(plan.ok(5)) == "PLAN_BAD_INDEX");
  CHECK(error_type(plan.failed(0xffffffffu)) == "PLAN_BAD_INDEX");
  CHECK(error_type(plan.reissue(5)) == "PLAN_BAD_INDEX");
  CHECK_FALSE(plan.wanted(5));

  PartPlanner fresh = make(3 * 4096, 4096);
  CHECK(error_type(fresh.ok(1)) == "PLAN_NOT_IN_FLIGHT");  // never handed out
  CHECK(error_type(fresh.failed(1)) == "PLAN_NOT_IN_FLIGHT");
  CHECK(error_type(fresh.reissue(1)) == "PLAN_NOT_IN_FLIGHT");
  CHECK(fresh.state(1) == PartState::kPending);
  CHECK(fresh.next()->index == 0);
}

TEST_CASE("reissue: the first answer wins, the second is stale, a failed copy keeps the part in flight") {
  PartPlanner plan = make(3 * 4096 + 5, 4096);
  const Part p0 = *plan.next();
  auto again = plan.reissue(0);
  REQUIRE(again.ok());
  REQUIRE(again->has_value());
  CHECK(**again == p0);
  CHECK(plan.requests_in_flight() == 2);

  SECTION("both copies answer") {
    CHECK(plan.wanted(0));
    CHECK(*plan.ok(0) == Answer::kFresh);
    CHECK_FALSE(plan.wanted(0));
    CHECK(plan.state(0) == PartState::kReceived);
    CHECK(*plan.ok(0) == Answer::kStale);
    CHECK(plan.requests_in_flight() == 0);
    CHECK(plan.bytes_done() == 4096);  // counted once
  }
  SECTION("one copy fails while the other is still out") {
    REQUIRE(plan.failed(0).ok());
    CHECK(plan.state(0) == PartState::kInFlight);
    CHECK(plan.wanted(0));
    CHECK(plan.next()->index == 1);  // part 0 is not handed out again
    CHECK(*plan.ok(0) == Answer::kFresh);
  }
  SECTION("both copies fail") {
    REQUIRE(plan.failed(0).ok());
    REQUIRE(plan.failed(0).ok());
    CHECK(plan.state(0) == PartState::kPending);
    CHECK(plan.next()->index == 0);
  }
  SECTION("the late copy fails after the part arrived: nothing changes") {
    CHECK(*plan.ok(0) == Answer::kFresh);
    REQUIRE(plan.failed(0).ok());
    CHECK(plan.state(0) == PartState::kReceived);
  }
  SECTION("the late copy answers after the part became durable") {
    CHECK(*plan.ok(0) == Answer::kFresh);
    const auto taken = plan.take_received();
    REQUIRE(plan.mark_durable(taken).ok());
    CHECK(*plan.ok(0) == Answer::kStale);
    CHECK(plan.state(0) == PartState::kDurable);
    CHECK(plan.bytes_durable() == 4096);
  }
  SECTION("no reissue once a copy arrived") {
    CHECK(*plan.ok(0) == Answer::kFresh);
    auto none = plan.reissue(0);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
    CHECK(plan.requests_in_flight() == 1);
  }
}

TEST_CASE("reissue is bounded by kMaxCopies") {
  PartPlanner plan = make(4096, 4096);
  REQUIRE(plan.next());
  for (std::uint32_t i = 1; i < kMaxCopies; ++i) REQUIRE(plan.reissue(0).ok());
  CHECK(plan.requests_in_flight() == kMaxCopies);
  CHECK(error_type(plan.reissue(0)) == "PLAN_TOO_MANY_COPIES");
  for (std::uint32_t i = 1; i < kMaxCopies; ++i) REQUIRE(plan.failed(0).ok());
  CHECK(*plan.ok(0) == Answer::kFresh);
}

TEST_CASE("received is not durable until the sync that took it is marked") {
  PartPlanner plan = make(4 * 4096 + 100, 4096);  // parts 0..4, the last one 100 bytes
  drain(plan);
  CHECK(*plan.ok(3) == Answer::kFresh);
  CHECK(*plan.ok(4) == Answer::kFresh);
  CHECK(*plan.ok(0) == Answer::kFresh);
  CHECK(plan.bytes_done() == 2 * 4096 + 100);
  CHECK(plan.bytes_durable() == 0);
  CHECK(plan.parts_missing() == 2);

  const std::vector<Part> first = plan.take_received();
  CHECK(first == std::vector<Part>{{0, 0, 4096}, {3, 3 * 4096, 4096}, {4, 4 * 4096, 100}});
  CHECK(plan.state(3) == PartState::kSyncing);
  CHECK(plan.take_received().empty());
  // A part received after the take is not covered by that sync.
  CHECK(*plan.ok(1) == Answer::kFresh);
  const Part late = plan.part(1);
  CHECK(error_type(plan.mark_durable(std::vector<Part>{first[0], late})) == "PLAN_NOT_SYNCING");
  CHECK(plan.state(0) == PartState::kSyncing);  // all or nothing
  CHECK(plan.bytes_durable() == 0);
  const Part wrong{3, 0, 4096};  // the index of a syncing part with another part's offset
  CHECK(error_type(plan.mark_durable(std::vector<Part>{wrong})) == "PLAN_NOT_SYNCING");

  REQUIRE(plan.mark_durable(first).ok());
  CHECK(plan.bytes_durable() == 4096 + 4096 + 100);
  CHECK(plan.bytes_done() == 3 * 4096 + 100);
  CHECK(error_type(plan.mark_durable(first)) == "PLAN_NOT_SYNCING");  // once only
  CHECK_FALSE(plan.complete());

  CHECK(*plan.ok(2) == Answer::kFresh);
  CHECK(plan.parts_missing() == 0);
  CHECK_FALSE(plan.complete());
  const std::vector<Part> last = plan.take_received();
  CHECK(indices(last) == std::vector<std::uint32_t>{1, 2});
  REQUIRE(plan.mark_durable(last).ok());
  CHECK(plan.complete());
  CHECK(plan.bytes_durable() == plan.file_size());
  CHECK(plan.requests_in_flight() == 0);
}
