// upload.getFile and upload.getFileHashes: Telegram's part rules, FILE_MIGRATE_X, file reference
// expiry, FLOOD_PREMIUM_WAIT_X, and bytes/hashes equal to the file's.
#include "api_test_support.hpp"
#include "crypto/sha.hpp"

using namespace testdc::test;
using testdc::ApiReply;

namespace {


struct Download {
  ApiWorld w;
  std::shared_ptr<testdc::AuthKeyInfo> key = w.login(2, "15550000001", "12345");
  api::document big = document_of(fetch_message(w, 2, key, 2));

  ApiReply get(std::int64_t offset, std::int64_t limit, bool precise = false, std::uint64_t conn = 1) {
    api::upload_getFile req;
    req.precise = precise;
    req.location = location_of(big);
    req.offset = offset;
    req.limit = static_cast<std::int32_t>(limit);
    return w.call(2, key, req, conn);
  }
};

}  // namespace

TEST_CASE("upload.getFile returns the file's bytes, a short part marks the end") {
  Download d;
  mtp::Bytes assembled;
  for (std::int64_t offset = 0;; offset += kMiB) {
    auto file = result_of<api::upload_File>(d.get(offset, kMiB)).get<api::upload_file>();
    CHECK(file.type.is<api::storage_filePartial>());
    CHECK(file.mtime == d.big.date);
    assembled.insert(assembled.end(), file.bytes.begin(), file.bytes.end());
    if (file.bytes.size() < static_cast<std::size_t>(kMiB)) break;
  }
  CHECK(assembled == d.w.big_file());
  // Past the end: an empty part.
  CHECK(result_of<api::upload_File>(d.get(3 * kMiB, 4 * kKiB)).get<api::upload_file>().bytes.empty());
  // A part in the middle.
  CHECK(result_of<api::upload_File>(d.get(1 * kMiB + 128 * kKiB, 128 * kKiB)).get<api::upload_file>().bytes ==
        slice(d.w.big_file(), 1 * kMiB + 128 * kKiB, 128 * kKiB));
}

TEST_CASE("upload.getFile enforces the 4 KiB / 1 MiB rules without precise") {
  Download d;
  struct Case {
    std::int64_t offset, limit;
    const char* error;
  };
  const Case cases[] = {
      {0, 4 * kKiB, ""},
      {0, kMiB, ""},
      {kMiB - 512 * kKiB, 512 * kKiB, ""},
      {4 * kKiB, 12 * kKiB, "LIMIT_INVALID 400"},       // 1 MiB % limit != 0
      {0, 1 * kKiB, "LIMIT_INVALID 400"},               // 1 KiB only with precise
      {0, 0, "LIMIT_INVALID 400"},
      {0, 2 * kMiB, "LIMIT_INVALID 400"},
      {0, kMiB + 4 * kKiB, "LIMIT_INVALID 400"},
      {1000, 4 * kKiB, "OFFSET_INVALID 400"},
      {2 * kKiB, 4 * kKiB, "OFFSET_INVALID 400"},       // 1 KiB aligned is not enough
      {-4 * kKiB, 4 * kKiB, "OFFSET_INVALID 400"},
      {kMiB - 4 * kKiB, 8 * kKiB, "LIMIT_INVALID 400"},  // crosses the 1 MiB boundary
      {512 * kKiB, kMiB, "LIMIT_INVALID 400"},          // crosses it too
  };
  for (const Case& c : cases) {
    INFO("offset " << c.offset << " limit " << c.limit);
    auto reply = d.get(c.offset, c.limit);
    if (*c.error) {
      CHECK(error_of(reply) == c.error);
    } else {
      CHECK(result_of<api::upload_File>(reply).get<api::upload_file>().bytes == slice(d.w.big_file(), c.offset, c.limit));
    }
  }
}

TEST_CASE("upload.getFile with precise relaxes alignment to 1 KiB but keeps the boundary and size rules") {
  Download d;
  struct Case {
    std::int64_t offset, limit;
    const char* error;
  };
  const Case cases[] = {
      {1 * kKiB, 1 * kKiB, ""},
      {1 * kKiB, 3 * kKiB, ""},                         // 3 KiB does not divide 1 MiB: fine with precise
      {kMiB - 3 * kKiB, 3 * kKiB, ""},                  // ends exactly at the boundary
      {5 * kKiB, 100 * kKiB, ""},
      {512, 1 * kKiB, "OFFSET_INVALID 400"},
      {0, 1536, "LIMIT_INVALID 400"},
      {kMiB - 1 * kKiB, 2 * kKiB, "LIMIT_INVALID 400"},  // crosses the boundary
      {0, kMiB + 1 * kKiB, "LIMIT_INVALID 400"},
      {0, 0, "LIMIT_INVALID 400"},
  };
  for (const Case& c : cases) {
    INFO("offset " << c.offset << " limit " << c.limit);
    auto reply = d.get(c.offset, c.limit, /*precise=*/true);
    if (*c.error) {
      CHECK(error_of(reply) == c.error);
    } else {
      CHECK(result_of<api::upload_File>(reply).get<api::upload_file>().bytes == slice(d.w.big_file(), c.offset, c.limit));
    }
  }
  // The same 3 KiB part without precise is refused.
  CHECK(error_of(d.get(kKiB * 4, 3 * kKiB)) == "LIMIT_INVALID 400");
}

TEST_CASE("upload.getFile: login, location, access_hash, FILE_MIGRATE_X") {
  Download d;
  api::upload_getFile req;
  req.location = location_of(d.big);
  req.limit = static_cast<std::int32_t>(4 * kKiB);
  CHECK(error_of(d.w.call(2, d.w.new_key(2), req)) == "AUTH_KEY_UNREGISTERED 401");

  auto wrong_hash = location_of(d.big);
  wrong_hash.access_hash ^= 1;
  req.location = wrong_hash;
  CHECK(error_of(d.w.call(2, d.key, req)) == "FILE_ID_INVALID 400");
  auto unknown = location_of(d.big);
  unknown.id += 1;
  req.location = unknown;
  CHECK(error_of(d.w.call(2, d.key, req)) == "FILE_ID_INVALID 400");
  req.location = api::inputPhotoFileLocation{d.big.id, d.big.access_hash, d.big.file_reference, "x"};
  CHECK(error_of(d.w.call(2, d.key, req)) == "LOCATION_INVALID 400");

  // Message 3's document lives on DC 4.
  auto foreign = document_of(fetch_message(d.w, 2, d.key, 3));
  CHECK(foreign.dc_id == 4);
  req.location = location_of(foreign);
  CHECK(error_of(d.w.call(2, d.key, req)) == "FILE_MIGRATE_4 303");
  api::upload_getFileHashes hashes_req{location_of(foreign), 0};
  CHECK(error_of(d.w.call(2, d.key, hashes_req)) == "FILE_MIGRATE_4 303");
}

TEST_CASE("file references expire after the configured lifetime and cannot be forged") {
  Download d;
  const std::int64_t lifetime_ms = 3600 * 1000;
  d.w.advance_ms(lifetime_ms - 1000);
  CHECK(d.get(0, 4 * kKiB).error == std::nullopt);
  d.w.advance_ms(1000);
  CHECK(error_of(d.get(0, 4 * kKiB)) == "FILE_REFERENCE_EXPIRED 400");
  // Refetching the message gives a fresh reference.
  d.big = document_of(fetch_message(d.w, 2, d.key, 2));
  CHECK(d.get(0, 4 * kKiB).error == std::nullopt);

  auto forged = d.big;
  forged.file_reference.back() ^= 0x01;
  api::upload_getFile req;
  req.location = location_of(forged);
  req.limit = static_cast<std::int32_t>(4 * kKiB);
  CHECK(error_of(d.w.call(2, d.key, req)) == "FILE_REFERENCE_INVALID 400");
  forged.file_reference.clear();
  req.location = location_of(forged);
  CHECK(error_of(d.w.call(2, d.key, req)) == "FILE_REFERENCE_EMPTY 400");
}

TEST_CASE("a file reference lifetime of 0 expires references at once") {
  ApiWorld w(/*file_reference_lifetime_s=*/0);
  auto key = w.login(2, "15550000001", "12345");
  auto doc = document_of(fetch_message(w, 2, key, 1));
  api::upload_getFile req;
  req.location = location_of(doc);
  req.limit = static_cast<std::int32_t>(4 * kKiB);
  CHECK(error_of(w.call(2, key, req)) == "FILE_REFERENCE_EXPIRED 400");
}

TEST_CASE("non-premium accounts past the parallel download limit get FLOOD_PREMIUM_WAIT_X") {
  Download d;  // limit: 2 connections within a second
  CHECK(d.get(0, 4 * kKiB, false, 1).error == std::nullopt);                 // t = 0
  d.w.advance_ms(300);
  CHECK(d.get(0, 4 * kKiB, false, 2).error == std::nullopt);                 // t = 300
  CHECK(error_of(d.get(0, 4 * kKiB, false, 3)) == "FLOOD_PREMIUM_WAIT_1 420");
  d.w.advance_ms(300);
  CHECK(d.get(4 * kKiB, 4 * kKiB, false, 1).error == std::nullopt);          // t = 600: known connections go on
  d.w.advance_ms(750);                                                       // t = 1350: connection 2 left the window
  CHECK(d.get(0, 4 * kKiB, false, 3).error == std::nullopt);
  CHECK(error_of(d.get(0, 4 * kKiB, false, 4)) == "FLOOD_PREMIUM_WAIT_1 420");  // 1 and 3 are active

  // A premium account is not limited.
  auto premium = d.w.login(2, "15550000004", "44444");
  api::upload_getFile req;
  req.location = location_of(d.big);
  req.limit = static_cast<std::int32_t>(4 * kKiB);
  for (std::uint64_t conn = 10; conn < 16; ++conn) CHECK(d.w.call(2, premium, req, conn).error == std::nullopt);
}

TEST_CASE("upload.getFileHashes: SHA-256 per 128 KiB window from the requested offset") {
  Download d;
  const auto& file = d.w.big_file();
  auto check_from = [&](std::int64_t offset, std::size_t expected_windows) {
    auto hashes = result_of<std::vector<api::FileHash>>(d.w.call(2, d.key, api::upload_getFileHashes{location_of(d.big), offset}));
    REQUIRE(hashes.size() == expected_windows);
    std::int64_t at = offset;
    for (const auto& h : hashes) {
      const auto& fh = h.get<api::fileHash>();
      CHECK(fh.offset == at);
      const std::int64_t len = std::min<std::int64_t>(128 * kKiB, static_cast<std::int64_t>(file.size()) - at);
      CHECK(fh.limit == len);
      auto want = mtp::crypto::sha256(mtp::ByteSpan(file.data() + at, static_cast<std::size_t>(len)));
      CHECK(fh.hash == mtp::Bytes(want.begin(), want.end()));
      at += len;
    }
  };
  check_from(0, 8);
  check_from(2 * kMiB + 256 * kKiB, 3);  // two full windows and the 123-byte tail
  check_from(static_cast<std::int64_t>(file.size()) + 4096, 0);
  CHECK(error_of(d.w.call(2, d.key, api::upload_getFileHashes{location_of(d.big), -1})) == "OFFSET_INVALID 400");
}
