// The file-level hostility of hostile_files.hpp through the API handlers: getFile answers longer
// or shorter than asked (the first of each range, or all), bytes that change between two requests
// of a range while getFileHashes tells the truth, and documents that change (size, or id and
// access hash) after two getFile calls, old references then answering FILE_REFERENCE_EXPIRED.
#include "api_test_support.hpp"
#include "crypto/sha.hpp"

using namespace testdc::test;
using testdc::ApiReply;
using testdc::HostileFile;

namespace {


// The test DC with conditions.hostile_file = names, logged in.
struct Hostile : LoggedInFiles {
  explicit Hostile(const std::string& names) : LoggedInFiles(R"("hostile_file": [)" + names + "]") {}
  api::document refreshed() { return document_of(fetch_message(w, 2, key, 2)); }
};

mtp::Bytes sha256_of(const mtp::Bytes& b) {
  auto d = mtp::crypto::sha256(b);
  return mtp::Bytes(d.begin(), d.end());
}

}  // namespace

TEST_CASE("hostile_file names map to their kinds and back, unknown ones are refused") {
  for (const auto& name : testdc::hostile_file_names()) {
    auto kind = testdc::hostile_file_from_name(name);
    REQUIRE(kind.has_value());
    CHECK(testdc::hostile_file_name(*kind) == name);
  }
  CHECK(testdc::hostile_file_names().size() == 7);
  CHECK_FALSE(testdc::hostile_file_from_name("long").has_value());
  auto world = testdc::load_manifest(R"({"conditions": {"hostile_file": ["long-answer", "unstable-bytes"]}})", ".");
  REQUIRE(world.ok());
  CHECK(world->conditions.hostile_files == std::set{HostileFile::kLongAnswer, HostileFile::kUnstableBytes});
  auto refused = testdc::load_manifest(R"({"conditions": {"hostile_file": ["longer-answer"]}})", ".");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().type == "MANIFEST_INVALID");
  CHECK(testdc::load_manifest("{}", ".")->conditions.hostile_files.empty());
}

TEST_CASE("long-answer: 4096 bytes more than asked, the first answer of each range, past the end too") {
  Hostile h(R"("long-answer")");
  const auto& file = h.w.big_file();
  auto first = h.part(h.big, 0, kMiB);
  const mtp::Bytes got = file_bytes_of(first);
  CHECK(got.size() == static_cast<std::size_t>(kMiB + 4096));
  CHECK(got == slice(file, 0, kMiB + 4096));  // the next part's bytes: plausible
  CHECK(first.detail == "hostile long-answer 1052672");
  CHECK(file_bytes_of(h.part(h.big, 0, kMiB)) == slice(file, 0, kMiB));  // asked again: right
  // The last part (512 KiB + 123 bytes): 4096 bytes past the file's end.
  auto last = file_bytes_of(h.part(h.big, 2 * kMiB, kMiB));
  CHECK(last.size() == static_cast<std::size_t>(512 * kKiB + 123 + 4096));
  CHECK(mtp::Bytes(last.begin(), last.begin() + 512 * kKiB + 123) == slice(file, 2 * kMiB, kMiB));
  CHECK(file_bytes_of(h.part(h.big, 2 * kMiB, kMiB)) == slice(file, 2 * kMiB, kMiB));
}

TEST_CASE("long-answer-always and short-answer-always spoil every answer, short never the last part") {
  Hostile longer(R"("long-answer-always")");
  for (int i = 0; i < 3; ++i) CHECK(file_bytes_of(longer.part(longer.big, kMiB, kMiB)).size() == kMiB + 4096);

  Hostile shorter(R"("short-answer-always")");
  const auto& file = shorter.w.big_file();
  for (int i = 0; i < 3; ++i) {
    auto reply = shorter.part(shorter.big, kMiB, kMiB);
    CHECK(file_bytes_of(reply) == slice(file, kMiB, kMiB / 2));
    CHECK(reply.detail == "hostile short-answer 524288");
  }
  // The last part is short anyway: the truth, untouched.
  auto last = shorter.part(shorter.big, 2 * kMiB, kMiB);
  CHECK(file_bytes_of(last) == slice(file, 2 * kMiB, kMiB));
  CHECK(last.detail.empty());
}

TEST_CASE("short-answer: half a part once per range, then right") {
  Hostile h(R"("short-answer")");
  const auto& file = h.w.big_file();
  CHECK(file_bytes_of(h.part(h.big, 0, 512 * kKiB)) == slice(file, 0, 256 * kKiB));
  CHECK(file_bytes_of(h.part(h.big, 0, 512 * kKiB)) == slice(file, 0, 512 * kKiB));
  CHECK(file_bytes_of(h.part(h.big, 512 * kKiB, 512 * kKiB)) == slice(file, 512 * kKiB, 256 * kKiB));
}

TEST_CASE("unstable-bytes: the first answer of a range differs, later ones and the hashes are right") {
  Hostile h(R"("unstable-bytes")");
  const auto& file = h.w.big_file();
  auto first = h.part(h.big, kMiB, kMiB);
  const mtp::Bytes wrong = file_bytes_of(first);
  REQUIRE(wrong.size() == static_cast<std::size_t>(kMiB));
  CHECK(wrong != slice(file, kMiB, kMiB));
  int differing = 0;
  for (std::size_t i = 0; i < wrong.size(); ++i) differing += wrong[i] != file[static_cast<std::size_t>(kMiB) + i];
  CHECK(differing == 16);  // one byte in every 64 KiB
  CHECK(first.detail == "hostile unstable-bytes");
  CHECK(file_bytes_of(h.part(h.big, kMiB, kMiB)) == slice(file, kMiB, kMiB));
  auto hashes = result_of<std::vector<api::FileHash>>(h.w.call(2, h.key, api::upload_getFileHashes{location_of(h.big), kMiB}));
  REQUIRE_FALSE(hashes.empty());
  const auto& fh = hashes[0].get<api::fileHash>();
  CHECK(fh.hash == sha256_of(slice(file, kMiB, fh.limit)));
}

TEST_CASE("document-changes: after two getFile calls the size changes, old references expire") {
  Hostile h(R"("document-changes")");
  const auto& file = h.w.big_file();
  CHECK(file_bytes_of(h.part(h.big, 0, kMiB)) == slice(file, 0, kMiB));
  CHECK(file_bytes_of(h.part(h.big, kMiB, kMiB)) == slice(file, kMiB, kMiB));
  auto changed = h.part(h.big, 2 * kMiB, kMiB);
  CHECK(error_of(changed) == "FILE_REFERENCE_EXPIRED 400");
  CHECK(changed.detail == "hostile document changed");
  CHECK(error_of(h.part(h.big, 0, kMiB)) == "FILE_REFERENCE_EXPIRED 400");  // every old reference
  const api::document v2 = h.refreshed();
  CHECK(v2.id == h.big.id);
  CHECK(v2.access_hash == h.big.access_hash);
  CHECK(v2.size == h.big.size + testdc::HostileFiles::kSizeChange);
  CHECK(v2.file_reference != h.big.file_reference);
  // Version 2 is served: other bytes, of its own size, and hashes of those bytes.
  auto first = file_bytes_of(h.part(v2, 0, kMiB));
  CHECK(first.size() == static_cast<std::size_t>(kMiB));
  CHECK(first != slice(file, 0, kMiB));
  auto tail = file_bytes_of(h.part(v2, 3 * kMiB, kMiB));
  CHECK(static_cast<std::int64_t>(tail.size()) == v2.size - 3 * kMiB);
  auto hashes = result_of<std::vector<api::FileHash>>(h.w.call(2, h.key, api::upload_getFileHashes{location_of(v2), 0}));
  REQUIRE_FALSE(hashes.empty());
  CHECK(hashes[0].get<api::fileHash>().hash == sha256_of(slice(first, 0, hashes[0].get<api::fileHash>().limit)));
}

TEST_CASE("document-id-changes: the id and access hash change, the old id answers FILE_REFERENCE_EXPIRED") {
  Hostile h(R"("document-id-changes")");
  (void)h.part(h.big, 0, kMiB);
  (void)h.part(h.big, kMiB, kMiB);
  CHECK(error_of(h.part(h.big, 2 * kMiB, kMiB)) == "FILE_REFERENCE_EXPIRED 400");
  const api::document v2 = h.refreshed();
  CHECK(v2.id != h.big.id);
  CHECK(v2.access_hash != h.big.access_hash);
  CHECK(v2.size == h.big.size);
  // The old id with the new reference: still expired, never version 2's bytes.
  api::document mixed = v2;
  mixed.id = h.big.id;
  mixed.access_hash = h.big.access_hash;
  CHECK(error_of(h.part(mixed, 0, kMiB)) == "FILE_REFERENCE_EXPIRED 400");
  auto bytes = file_bytes_of(h.part(v2, 0, kMiB));
  CHECK(bytes.size() == static_cast<std::size_t>(kMiB));
  CHECK(bytes != slice(h.w.big_file(), 0, kMiB));
  // A made-up id next to version 2's is still unknown.
  api::document unknown = v2;
  unknown.access_hash ^= 1;
  CHECK(error_of(h.part(unknown, 0, kMiB)) == "FILE_ID_INVALID 400");
}
