// The corruption faults through the API handlers: corrupt_range spoils exactly the overlapping
// bytes of upload.getFile answers (inverted) while upload.getFileHashes tells the truth,
// corrupt_hashes the other way round, each for the first corrupt_times answers of a document.
#include <map>

#include "api_test_support.hpp"
#include "crypto/sha.hpp"

using namespace testdc::test;
using testdc::ApiReply;
using testdc::ByteRange;

namespace {

constexpr std::int64_t kWindow = 128 * kKiB;

// The test DC with the given corruption conditions, logged in.
struct Corrupted : LoggedInFiles {
  using LoggedInFiles::LoggedInFiles;
  ApiReply hashes(const api::document& d, std::int64_t offset) {
    return w.call(2, key, api::upload_getFileHashes{location_of(d), offset});
  }
};

// The file's bytes at [offset, offset + limit), with those in `inverted` XOR 0xff.
mtp::Bytes expected(const mtp::Bytes& file, std::int64_t offset, std::int64_t limit, std::optional<ByteRange> inverted = {}) {
  const auto end = std::min<std::int64_t>(offset + limit, static_cast<std::int64_t>(file.size()));
  mtp::Bytes out(file.begin() + offset, file.begin() + end);
  if (inverted) {
    for (std::int64_t i = inverted->offset; i < inverted->end(); ++i) out[static_cast<std::size_t>(i - offset)] ^= 0xff;
  }
  return out;
}

// The windows of a getFileHashes answer: offset -> whether its hash is the true SHA-256.
std::map<std::int64_t, bool> truthful_windows(const ApiReply& reply, const mtp::Bytes& file) {
  std::map<std::int64_t, bool> out;
  for (const auto& h : result_of<std::vector<api::FileHash>>(reply)) {
    const auto& fh = h.get<api::fileHash>();
    REQUIRE(fh.offset + fh.limit <= static_cast<std::int64_t>(file.size()));
    auto digest = mtp::crypto::sha256(mtp::ByteSpan(file.data() + fh.offset, static_cast<std::size_t>(fh.limit)));
    out[fh.offset] = fh.hash == mtp::Bytes(digest.begin(), digest.end());
  }
  return out;
}

std::map<std::int64_t, bool> all_true_from(std::int64_t offset, int windows) {
  std::map<std::int64_t, bool> out;
  for (int i = 0; i < windows; ++i) out[offset + i * kWindow] = true;
  return out;
}

}  // namespace

TEST_CASE("corrupt_range: exactly the overlapping bytes are inverted, corrupt_times answers, then right") {
  // 5000 bytes from 1 MiB + 1000, inside the second part; two answers of each document spoilt.
  Corrupted d(R"("corrupt_range": "1049576:5000", "corrupt_times": 2)");
  const auto& file = d.w.big_file();
  // The first part does not overlap: right, and it uses up nothing.
  auto first = d.part(d.big, 0, kMiB);
  CHECK(file_bytes_of(first) == expected(file, 0, kMiB));
  CHECK(first.detail.empty());

  auto spoilt = d.part(d.big, kMiB, kMiB);
  CHECK(file_bytes_of(spoilt) == expected(file, kMiB, kMiB, ByteRange{kMiB + 1000, 5000}));
  CHECK(spoilt.detail == "corrupt bytes 1049576:5000");
  // A part holding only the range's tail: only that tail is wrong.
  auto tail = d.part(d.big, kMiB + 4 * kKiB, 4 * kKiB);
  CHECK(file_bytes_of(tail) == expected(file, kMiB + 4 * kKiB, 4 * kKiB, ByteRange{kMiB + 4 * kKiB, 1904}));
  CHECK(tail.detail == "corrupt bytes 1052672:1904");
  // Two answers spoilt: the refetch is right.
  auto again = d.part(d.big, kMiB, kMiB);
  CHECK(file_bytes_of(again) == expected(file, kMiB, kMiB));
  CHECK(again.detail.empty());

  // The hashes told the truth all along.
  CHECK(truthful_windows(d.hashes(d.big, kMiB), file) == all_true_from(kMiB, 8));
}

TEST_CASE("corrupt_range applies to every document, each with its own count") {
  Corrupted d(R"("corrupt_range": "0:16")");  // corrupt_times defaults to 1
  CHECK(file_bytes_of(d.part(d.small, 0, 4 * kKiB)) == expected(d.w.small_file(), 0, 4 * kKiB, ByteRange{0, 16}));
  CHECK(file_bytes_of(d.part(d.small, 0, 4 * kKiB)) == expected(d.w.small_file(), 0, 4 * kKiB));
  auto big = d.part(d.big, 0, 4 * kKiB);
  CHECK(file_bytes_of(big) == expected(d.w.big_file(), 0, 4 * kKiB, ByteRange{0, 16}));
  CHECK(big.detail == "corrupt bytes 0:16");
  CHECK(file_bytes_of(d.part(d.big, 0, 4 * kKiB)) == expected(d.w.big_file(), 0, 4 * kKiB));
}

TEST_CASE("corrupt_times 0: every answer overlapping the range is wrong") {
  Corrupted d(R"("corrupt_range": "2097152:1", "corrupt_times": 0)");
  for (int i = 0; i < 5; ++i) {
    auto reply = d.part(d.big, 2 * kMiB, kMiB);  // the last part: 512 KiB + 123 bytes
    CHECK(file_bytes_of(reply) == expected(d.w.big_file(), 2 * kMiB, kMiB, ByteRange{2 * kMiB, 1}));
    CHECK(reply.detail == "corrupt bytes 2097152:1");
  }
  // A range past the end of a document never overlaps it.
  CHECK(file_bytes_of(d.part(d.small, 0, 8 * kKiB)) == d.w.small_file());
}

TEST_CASE("corrupt_hashes: the windows overlapping the range lie, getFile is right, corrupt_times answers") {
  // 20 bytes across the border of the windows at 1 MiB and 1 MiB + 128 KiB.
  Corrupted d(R"("corrupt_hashes": "1179638:20")");
  const auto& file = d.w.big_file();
  // Windows 0..7 do not overlap: true, and the one lie is still to come.
  auto before = d.hashes(d.big, 0);
  CHECK(truthful_windows(before, file) == all_true_from(0, 8));
  CHECK(before.detail.empty());

  auto lying = d.hashes(d.big, kMiB);
  auto want = all_true_from(kMiB, 8);
  want[kMiB] = false;
  want[kMiB + kWindow] = false;
  CHECK(truthful_windows(lying, file) == want);
  CHECK(lying.detail == "corrupt hashes 1048576:262144");
  // Asked again (the way a client that doubts the hashes would): the truth.
  auto again = d.hashes(d.big, kMiB);
  CHECK(truthful_windows(again, file) == all_true_from(kMiB, 8));
  CHECK(again.detail.empty());

  // The bytes were right throughout.
  auto bytes = d.part(d.big, kMiB, kMiB);
  CHECK(file_bytes_of(bytes) == expected(file, kMiB, kMiB));
  CHECK(bytes.detail.empty());
}

TEST_CASE("corrupt_hashes with corrupt_times 3 lies three times, a hash call starting inside a lying window too") {
  Corrupted d(R"("corrupt_hashes": "131072:1", "corrupt_times": 3)");
  const auto& file = d.w.big_file();
  auto want = all_true_from(0, 8);
  want[kWindow] = false;
  CHECK(truthful_windows(d.hashes(d.big, 0), file) == want);
  CHECK(truthful_windows(d.hashes(d.big, 0), file) == want);
  auto from_window = d.hashes(d.big, kWindow);
  auto want_from = all_true_from(kWindow, 8);
  want_from[kWindow] = false;
  CHECK(truthful_windows(from_window, file) == want_from);
  CHECK(from_window.detail == "corrupt hashes 131072:131072");
  CHECK(truthful_windows(d.hashes(d.big, 0), file) == all_true_from(0, 8));
}

TEST_CASE("corrupt_range and corrupt_hashes in the manifest: OFFSET:LENGTH, refused when malformed") {
  auto world = testdc::load_manifest(R"({"conditions": {"corrupt_range": "1048576:4096", "corrupt_hashes": "0:1",
                                                         "corrupt_times": 0}})",
                                     ".");
  REQUIRE(world.ok());
  CHECK(world->conditions.corrupt_range == ByteRange{1048576, 4096});
  CHECK(world->conditions.corrupt_hashes == ByteRange{0, 1});
  CHECK(world->conditions.corrupt_times == 0);

  auto defaults = testdc::load_manifest("{}", ".");
  REQUIRE(defaults.ok());
  CHECK_FALSE(defaults->conditions.corrupt_range.has_value());
  CHECK_FALSE(defaults->conditions.corrupt_hashes.has_value());
  CHECK(defaults->conditions.corrupt_times == 1);

  for (const char* bad : {"10-20", "10:0", "-1:5", ":5", "5:", "a:b", "1:2:3", " 1:2", "1:2 ", "0:9223372036854775807x"}) {
    INFO(bad);
    CHECK_FALSE(testdc::parse_byte_range(bad).ok());
    auto refused = testdc::load_manifest(std::string(R"({"conditions": {"corrupt_range": ")") + bad + R"("}})", ".");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().type == "MANIFEST_INVALID");
  }
  CHECK_FALSE(testdc::parse_byte_range("9223372036854775807:1").ok());  // its end would overflow
  CHECK(testdc::parse_byte_range("9223372036854775806:1").ok());
  auto not_text = testdc::load_manifest(R"({"conditions": {"corrupt_hashes": 12}})", ".");
  REQUIRE_FALSE(not_text.ok());
  CHECK(not_text.error().type == "MANIFEST_INVALID");
  auto negative = testdc::load_manifest(R"({"conditions": {"corrupt_times": -1}})", ".");
  REQUIRE_FALSE(negative.ok());
  CHECK(negative.error().type == "MANIFEST_INVALID");
}
