// The saved form of a plan: its exact bytes, the round trip of a half-done plan, and rejection
// of every damaged (each single-byte change, each truncation) or mismatched blob.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <vector>

#include "engine/part_planner.hpp"
#include "engine_test_support.hpp"

using namespace tgget::engine;
using engine_test::error_type;

namespace {

// Puts parts `durable` into the durable state, the others stay as they are.
void make_durable(PartPlanner& plan, const std::vector<std::uint32_t>& durable) {
  std::vector<std::uint32_t> handed;
  while (auto p = plan.next()) handed.push_back(p->index);
  for (const std::uint32_t i : handed) {
    const bool keep = std::find(durable.begin(), durable.end(), i) != durable.end();
    if (keep) {
      REQUIRE(*plan.ok(i) == Answer::kFresh);
    } else {
      REQUIRE(plan.failed(i).ok());
    }
  }
  REQUIRE(plan.mark_durable(plan.take_received()).ok());
}

void put_crc(mtp::Bytes& blob) {
  const auto crc = static_cast<std::uint32_t>(::crc32(0L, blob.data(), static_cast<uInt>(blob.size() - 4)));
  for (int i = 0; i < 4; ++i) blob[blob.size() - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
}

mtp::Bytes sample_blob() {
  auto plan = PartPlanner::create(10 * 4096 + 1, 4096);  // 11 parts
  REQUIRE(plan.ok());
  make_durable(*plan, {0, 3, 10});
  return plan->serialize();
}

}  // namespace

TEST_CASE("the blob, byte for byte: magic, version, sizes, the durable bitmask, CRC-32") {
  const mtp::Bytes blob = sample_blob();
  mtp::Bytes expected = {'T', 'G', 'P', 'L', 1,
                         0x01, 0xa0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 40961
                         0x00, 0x10, 0x00, 0x00,                          // 4096
                         0x0b, 0x00, 0x00, 0x00,                          // 11 parts
                         0x09, 0x04,                                      // parts 0, 3 | 10
                         0, 0, 0, 0};
  put_crc(expected);
  CHECK(mtp::to_hex(blob) == mtp::to_hex(expected));
}

TEST_CASE("a half-done plan survives serialize / restore with its durable parts only") {
  auto plan = PartPlanner::create(3 * (1 << 20) + 17, 128 * 1024);  // 25 parts
  REQUIRE(plan.ok());
  // Durable: 0, 1, 7, 24; then received (not synced) 2, syncing 3, in flight 4, the rest pending.
  make_durable(*plan, {0, 1, 7, 24});
  for (std::uint32_t i : {2u, 3u, 4u}) REQUIRE(plan->next()->index == i);
  REQUIRE(*plan->ok(3) == Answer::kFresh);
  REQUIRE(plan->take_received().size() == 1);
  REQUIRE(*plan->ok(2) == Answer::kFresh);

  const mtp::Bytes blob = plan->serialize();
  auto back = PartPlanner::restore(blob, plan->file_size(), plan->part_size());
  REQUIRE(back.ok());
  CHECK(back->part_count() == 25);
  for (std::uint32_t i = 0; i < 25; ++i) {
    CAPTURE(i);
    const bool durable = i == 0 || i == 1 || i == 7 || i == 24;
    CHECK(back->state(i) == (durable ? PartState::kDurable : PartState::kPending));
  }
  CHECK(back->bytes_durable() == 3 * 128 * 1024 + 17);
  CHECK(back->bytes_durable() == plan->bytes_durable());
  CHECK(back->bytes_done() == back->bytes_durable());
  CHECK(back->requests_in_flight() == 0);
  CHECK(back->parts_missing() == 21);
  CHECK(back->serialize() == blob);
  // Downloading resumes at the first part not durable and never hands out a durable one.
  std::vector<std::uint32_t> handed;
  while (auto p = back->next()) handed.push_back(p->index);
  CHECK(handed.size() == 21);
  CHECK(handed.front() == 2);
  CHECK(std::find(handed.begin(), handed.end(), 7) == handed.end());
}

TEST_CASE("a complete plan and an empty file round-trip") {
  auto full = PartPlanner::create(9000, 4096);
  REQUIRE(full.ok());
  make_durable(*full, {0, 1, 2});
  REQUIRE(full->complete());
  auto back = PartPlanner::restore(full->serialize(), 9000, 4096);
  REQUIRE(back.ok());
  CHECK(back->complete());
  CHECK_FALSE(back->next());

  auto empty = PartPlanner::create(0, 4096);
  REQUIRE(empty.ok());
  auto empty_back = PartPlanner::restore(empty->serialize(), 0, 4096);
  REQUIRE(empty_back.ok());
  CHECK(empty_back->complete());
}

TEST_CASE("every single-byte change of a blob is rejected") {
  const mtp::Bytes blob = sample_blob();
  REQUIRE(PartPlanner::restore(blob, 40961, 4096).ok());
  int rejected = 0;
  for (std::size_t at = 0; at < blob.size(); ++at) {
    for (int flip = 1; flip < 256; ++flip) {
      mtp::Bytes damaged = blob;
      damaged[at] ^= static_cast<std::uint8_t>(flip);
      auto plan = PartPlanner::restore(damaged, 40961, 4096);
      if (plan.ok()) FAIL_CHECK("accepted with byte " << at << " ^ " << flip);
      rejected += plan.ok() ? 0 : 1;
    }
  }
  CHECK(rejected == static_cast<int>(blob.size()) * 255);
}

TEST_CASE("every truncation, and trailing bytes, are rejected") {
  const mtp::Bytes blob = sample_blob();
  for (std::size_t length = 0; length < blob.size(); ++length) {
    CAPTURE(length);
    auto plan = PartPlanner::restore(mtp::ByteSpan(blob).first(length), 40961, 4096);
    CHECK(error_type(plan) == "PLAN_TRUNCATED");
  }
  mtp::Bytes longer = blob;
  longer.push_back(0);
  CHECK(error_type(PartPlanner::restore(longer, 40961, 4096)) == "PLAN_CORRUPT");
}

TEST_CASE("blobs with a right checksum but wrong content are rejected with their reason") {
  const mtp::Bytes blob = sample_blob();
  auto restore = [](mtp::Bytes b) {
    put_crc(b);
    return PartPlanner::restore(b, 40961, 4096);
  };
  mtp::Bytes version = blob;
  version[4] = 2;
  CHECK(error_type(restore(version)) == "PLAN_VERSION");
  mtp::Bytes magic = blob;
  magic[0] = 'X';
  CHECK(error_type(restore(magic)) == "PLAN_MAGIC");
  mtp::Bytes padding = blob;
  padding[22] |= 0x08;  // part 11 of an 11-part file
  CHECK(error_type(restore(padding)) == "PLAN_CORRUPT");
  mtp::Bytes part_size = blob;
  part_size[14] = 0x18;  // 6144: not a power of two
  CHECK(error_type(restore(part_size)) == "PLAN_CORRUPT");
  mtp::Bytes count = blob;
  count[17] = 0x0c;  // 12 parts still fit two mask bytes, but the sizes make 11
  CHECK(error_type(restore(count)) == "PLAN_CORRUPT");
  CHECK(error_type(restore(blob)) == "(ok)");
}

TEST_CASE("a blob of another file size or part size is a mismatch") {
  const mtp::Bytes blob = sample_blob();
  CHECK(error_type(PartPlanner::restore(blob, 40960, 4096)) == "PLAN_MISMATCH");
  CHECK(error_type(PartPlanner::restore(blob, 40962, 4096)) == "PLAN_MISMATCH");
  CHECK(error_type(PartPlanner::restore(blob, 40961, 8192)) == "PLAN_MISMATCH");
  CHECK(error_type(PartPlanner::restore(blob, 40961, 1000)) == "PLAN_MISMATCH");
  CHECK(PartPlanner::restore(blob, 40961, 4096).ok());
}
