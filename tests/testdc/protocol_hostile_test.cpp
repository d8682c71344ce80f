// The test DC's --hostile switches (tools/testdc/hostile.hpp) against the real mtp::client::Client:
// for each, the client ends in a clear error or a correct retry, never a crash, a hang, an
// over-read or a wrong result accepted. The decoys carry WRONG answers (inverted file bytes, or
// rpc_error HOSTILE_DECOY), so a client that accepted one fails the checks on what it got.
// Never co_await inside a Catch2 macro.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "../client/client_world.hpp"
#include "core/log_sink.hpp"
#include "crypto/sha.hpp"
#include "hostile.hpp"
#include "tl/gzip.hpp"
#include "world.hpp"

using namespace tgget::testing;
using testdc::Hostility;
namespace api = mtp::tl::api;

namespace {

constexpr std::int32_t kPart = 128 * 1024;

// The types of the rpc_error events the client logged (the errors its calls met, retried or not).
std::vector<std::string>& logged_errors() {
  static std::vector<std::string> errors;
  return errors;
}
void capture(mtp::LogLevel, std::string_view event, std::initializer_list<mtp::LogField> fields) {
  if (event != "rpc_error") return;
  for (const auto& f : fields) {
    if (f.key == "type") logged_errors().emplace_back(std::get<std::string_view>(f.value));
  }
}
struct CaptureErrors {
  CaptureErrors() {
    logged_errors().clear();
    mtp::set_log_sink(capture);
  }
  ~CaptureErrors() { mtp::set_log_sink(nullptr); }
  bool saw(const std::string& type) const {
    return std::find(logged_errors().begin(), logged_errors().end(), type) != logged_errors().end();
  }
};

std::vector<std::string> hostile_args(std::initializer_list<const char*> names) {
  std::vector<std::string> args;
  for (const char* n : names) {
    args.emplace_back("--hostile");
    args.emplace_back(n);
  }
  return args;
}

// Part `index` of dc2.bin, fetched by the client and compared with the file itself.
asio::awaitable<void> fetch_and_check(mtp::client::Client& client, const api::document& doc, int index) {
  static const mtp::Bytes file = pattern_bytes(kFileDc2Size, 2);
  const auto request = get_file(doc, std::int64_t{index} * kPart, kPart);
  mtp::Bytes got;
  auto status = co_await client.get_file_part(2, request, 0, [&](const mtp::client::FilePartView& p) {
    got.assign(p.bytes.begin(), p.bytes.end());
  });
  INFO("part " << index);
  if (!status) FAIL("getFile: " << status.error().to_string());
  const auto begin = file.begin() + std::int64_t{index} * kPart;
  CHECK(got == mtp::Bytes(begin, begin + kPart));
}

// Logs in, resolves @tgdemo's file on DC 2 and fetches `parts` parts of it, each checked: every
// call on the way (resolveUsername, getMessages, getFile...) meets the hostility. Returns the stats.
mtp::client::Client::Stats run_job(TestDcProcess& dc, int parts) {
  mtp::client::Client::Stats stats;
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    co_await log_in(*client);
    const api::document doc = co_await document_of(*client, 1);
    for (int i = 0; i < parts; ++i) co_await fetch_and_check(*client, doc, i);
    stats = client->stats();
    client->stop();
  });
  return stats;
}

// The connection ids ("conn=N") of the log lines of `method`.
std::vector<std::string> connections_of(const TestDcProcess& dc, const std::string& method) {
  std::vector<std::string> out;
  for (const auto& line : dc.rpc_log()) {
    if (line.method == method) out.push_back(line.connection);
  }
  return out;
}

}  // namespace

TEST_CASE("hostility names: every switch has a name that maps back, unknown names are refused") {
  for (Hostility h : testdc::all_hostilities()) {
    CHECK(testdc::hostility_from_name(testdc::hostility_name(h)) == h);
  }
  CHECK(testdc::all_hostilities().size() == 9);
  CHECK_FALSE(testdc::hostility_from_name("bad_nonce"));
  auto world = testdc::load_manifest(R"({"conditions": {"hostile": ["msg-id-past", "gzip-bomb"]}})", ".");
  REQUIRE(world.ok());
  CHECK(world->conditions.hostile == testdc::Hostilities{Hostility::kMsgIdPast, Hostility::kGzipBomb});
  auto unknown = testdc::load_manifest(R"({"conditions": {"hostile": ["msg-id-past", "zip-bomb"]}})", ".");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().type == "MANIFEST_INVALID");
  auto not_a_list = testdc::load_manifest(R"({"conditions": {"hostile": "gzip-bomb"}})", ".");
  CHECK_FALSE(not_a_list.ok());
}

TEST_CASE("gzip bomb: 1 GiB of zeros in about 1 MiB, a valid gzip stream, refused by the client's cap") {
  const mtp::Bytes& bomb = testdc::gzip_bomb();
  CHECK(bomb.size() < 2u << 20);
  // Inflated streamingly here (never held): exactly 1 GiB of zeros and a correct trailer.
  z_stream zs{};
  REQUIRE(inflateInit2(&zs, 15 + 32) == Z_OK);
  zs.next_in = const_cast<Bytef*>(bomb.data());
  zs.avail_in = static_cast<uInt>(bomb.size());
  std::vector<std::uint8_t> out(1 << 20);
  std::uint64_t total = 0;
  bool zeros = true;
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    const std::size_t n = out.size() - zs.avail_out;
    total += n;
    zeros = zeros && std::all_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), [](auto b) { return b == 0; });
  }
  inflateEnd(&zs);
  CHECK(rc == Z_STREAM_END);
  CHECK(total == testdc::kGzipBombInflatedSize);
  CHECK(zeros);
  auto refused = mtp::tl::gunzip(bomb);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().type == "TL_GZIP_TOO_LARGE");
}

TEST_CASE("hostile bad-nonce: the client refuses the handshake with a clear error") {
  TestDcProcess dc(client_world(hostile_args({"bad-nonce"})));
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    auto started = co_await client->start();
    REQUIRE_FALSE(started.ok());
    INFO(started.error().to_string());
    CHECK(started.error().code == mtp::kErrSecurity);
    CHECK(started.error().type == "HANDSHAKE_NONCE_MISMATCH");
    client->stop();
  });
  CHECK(dc.count("handshake", "ok") == 0);
}

TEST_CASE("hostile msg-id-past: a wrong answer 600 s old is ignored, the real one accepted") {
  TestDcProcess dc(client_world(hostile_args({"msg-id-past"})));
  const auto stats = run_job(dc, 3);
  // getConfig, resolveUsername, getMessages and each getFile had a decoy ahead of the answer.
  CHECK(dc.count("hostile", "msg-id-past") >= 5);
  CHECK(stats.retries == 0);  // ignored, not failed and repeated
}

TEST_CASE("hostile msg-id-future: a wrong answer 120 s ahead is ignored, the real one accepted") {
  TestDcProcess dc(client_world(hostile_args({"msg-id-future"})));
  const auto stats = run_job(dc, 3);
  CHECK(dc.count("hostile", "msg-id-future") >= 5);
  CHECK(stats.retries == 0);
}

TEST_CASE("hostile nested-container: the packet is refused, the real answer comes again and is accepted") {
  TestDcProcess dc(client_world(hostile_args({"nested-container"})));
  const auto stats = run_job(dc, 3);
  CHECK(dc.count("hostile", "nested-container") >= 5);
  CHECK(stats.retries == 0);  // the session's own resend, on a new connection
  // Each refused packet cost its connection: the getFile parts travelled on more than one.
  const auto conns = connections_of(dc, "upload.getFile");
  CHECK(std::set<std::string>(conns.begin(), conns.end()).size() >= 2);
}

TEST_CASE("hostile lying-bytes: a bytes length past the message fails the call cleanly, the retry succeeds") {
  CaptureErrors errors;
  TestDcProcess dc(client_world(hostile_args({"lying-bytes"})));
  const auto stats = run_job(dc, 3);
  CHECK(dc.count("hostile", "lying-bytes") >= 5);
  CHECK(errors.saw("TL_TRUNCATED"));
  CHECK(stats.retries >= 5);
}

TEST_CASE("hostile huge-vector: a vector count of 2^31 - 1 fails the call cleanly, the retry succeeds") {
  CaptureErrors errors;
  TestDcProcess dc(client_world(hostile_args({"huge-vector"})));
  mtp::client::Client::Stats stats;
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    co_await log_in(*client);
    const api::document doc = co_await document_of(*client, 1);
    // upload.fileHashes is a vector itself: the decoy claims 2^31 - 1 of them.
    const api::upload_getFileHashes request{api::inputDocumentFileLocation{doc.id, doc.access_hash, doc.file_reference, ""}, 0};
    auto hashes = co_await client->invoke_on(2, request);
    REQUIRE(hashes.ok());
    REQUIRE_FALSE(hashes->empty());
    static const mtp::Bytes file = pattern_bytes(kFileDc2Size, 2);
    for (const auto& h : *hashes) {
      const auto& fh = h.get<api::fileHash>();
      REQUIRE(fh.offset + fh.limit <= static_cast<std::int64_t>(file.size()));
      const auto digest = mtp::crypto::sha256(mtp::ByteSpan(file).subspan(static_cast<std::size_t>(fh.offset),
                                                                          static_cast<std::size_t>(fh.limit)));
      CHECK(fh.hash == mtp::Bytes(digest.begin(), digest.end()));
    }
    co_await fetch_and_check(*client, doc, 0);
    stats = client->stats();
    client->stop();
  });
  CHECK(dc.count("hostile", "huge-vector") >= 4);
  CHECK(errors.saw("TL_BAD_LENGTH"));
  CHECK(stats.retries >= 4);
}

TEST_CASE("hostile gzip-bomb: 1 GiB of inflation is refused at the cap, the retry succeeds") {
  CaptureErrors errors;
  TestDcProcess dc(client_world(hostile_args({"gzip-bomb"})));
  const auto stats = run_job(dc, 2);
  CHECK(dc.count("hostile", "gzip-bomb") >= 4);
  CHECK(errors.saw("TL_GZIP_TOO_LARGE"));
  CHECK(stats.retries >= 4);
}

TEST_CASE("hostile replayed-msg-id: an answer packet sent again is ignored, the connection stays") {
  TestDcProcess dc(client_world(hostile_args({"replayed-msg-id"})));
  const auto stats = run_job(dc, 6);
  // Every other answer packet came twice; each later call still got its own answer (checked), and
  // the duplicates did not cost the connection: all parts came over the same one.
  CHECK(dc.count("hostile", "replayed-msg-id") >= 3);
  CHECK(stats.retries == 0);
  const auto conns = connections_of(dc, "upload.getFile");
  REQUIRE(conns.size() == 6);
  CHECK(std::set<std::string>(conns.begin(), conns.end()).size() == 1);
}

TEST_CASE("hostile msg-key-mismatch: damaged packets are dropped, the calls complete on new connections") {
  TestDcProcess dc(client_world(hostile_args({"msg-key-mismatch"})));
  run_job(dc, 8);
  CHECK(dc.count("hostile", "msg-key-mismatch") >= 2);
  const auto conns = connections_of(dc, "upload.getFile");
  CHECK(std::set<std::string>(conns.begin(), conns.end()).size() >= 2);
  CHECK(dc.count("handshake", "ok") == 1);  // a damaged packet never cost the key
}
