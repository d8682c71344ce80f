// The test DC's API rules driven over the wire: hand-built encrypted messages from RawClient to a
// running in-process DC (real handshake, real core, real API handlers, seeded files on disk), not
// handler calls. upload.getFile's part rules and FILE_MIGRATE_X, and auth.exportAuthorization's
// single-use bytes superseded by a newer export (AUTH_BYTES_INVALID).
// Never co_await inside CHECK/REQUIRE: GCC evaluates such an expression more than once.
#include <catch2/catch.hpp>

#include <map>

#include "api_test_support.hpp"
#include "protocol_harness.hpp"
#include "tl/container.hpp"
#include "tl/mtproto.hpp"

using namespace testdc;
using namespace testdc::testing;
using testdc::test::ApiWorld;
using testdc::test::kKiB;
using testdc::test::kMiB;
using testdc::test::slice;
namespace mt = mtp::tl::mt;
namespace api = mtp::tl::api;
using namespace std::chrono_literals;

namespace {

const std::string kPhone = "15550000001";  // ApiWorld's plain account, home DC 2
const std::string kCode = "12345";

// ApiWorld's manifest (documents on DCs 2 and 4, seeded file contents) behind a real ServerCore
// with the real API handlers and listeners on ephemeral ports; one io_context thread, as
// InProcessDc, whose world has no documents.
class WireDc {
 public:
  WireDc() : core_(world_.state(), test_rsa_key(), handle_api_call), listeners_(io_.get_executor(), core_) {
    auto started = listeners_.start({"127.0.0.1", 0});
    REQUIRE(started.ok());
  }
  ~WireDc() {
    listeners_.stop();
    drain(io_);
  }

  ApiWorld& world() { return world_; }
  ServerState& state() { return world_.state(); }

  void run(std::function<asio::awaitable<void>()> body) { run_coroutine(io_, std::move(body)); }

  // A connected client with a fresh key from a real handshake on DC `dc`.
  asio::awaitable<RawClient> client(int dc) {
    const auto* address = listeners_.main_address(dc);
    REQUIRE(address != nullptr);
    auto c = co_await RawClient::connect(io_.get_executor(), "127.0.0.1", address->port);
    REQUIRE(c.ok());
    auto shaken = co_await c->handshake(test_rsa_key().public_key(), dc);
    REQUIRE(shaken.ok());
    co_return std::move(*c);
  }

 private:
  asio::io_context io_;
  ApiWorld world_;
  ServerCore core_;
  Listeners listeners_;
};

// One request on the wire; its rpc_result (gzip unpacked).
template <class Req>
asio::awaitable<mtp::Bytes> call(RawClient& c, const Req& request) {
  const mtp::Bytes body = tl_bytes(request);
  auto sent = co_await c.send(body);
  REQUIRE(sent.ok());
  auto result = co_await c.receive_result(*sent, 10s);
  REQUIRE(result.ok());
  co_return std::move(*result);
}

// "MESSAGE CODE" of an rpc_error answer ("FILE_MIGRATE_4 303"), or "<no error>".
std::string error_of(const mtp::Bytes& result) {
  if (mtp::tl::object_id(result) != mt::rpc_error::kId) return "<no error>";
  auto parsed = mtp::tl::parse<mt::RpcError>(result);
  REQUIRE(parsed.ok());
  const auto& e = parsed->get<mt::rpc_error>();
  std::string s = e.error_message;
  s.append(" ").append(std::to_string(e.error_code));
  return s;
}

template <class T>
T parse_result(const mtp::Bytes& result) {
  INFO(error_of(result));
  auto parsed = mtp::tl::parse<T>(result);
  REQUIRE(parsed.ok());
  return std::move(*parsed);
}

// Several requests in one msg_container; their results by req_msg_id.
asio::awaitable<std::map<std::int64_t, mtp::Bytes>> call_together(RawClient& c, const std::vector<mtp::Bytes>& bodies,
                                                                    std::vector<std::int64_t>& ids) {
  auto sent = co_await c.send_container(bodies);
  REQUIRE(sent.ok());
  ids = *sent;
  std::map<std::int64_t, mtp::Bytes> results;
  // receive() rather than receive_until(): both answers may arrive in one container.
  while (results.size() < ids.size()) {
    auto batch = co_await c.receive(10s);
    REQUIRE(batch.ok());
    REQUIRE(batch->has_value());
    for (const auto& m : **batch) {
      if (m.id != mtp::tl::kRpcResultId) continue;
      auto r = mtp::tl::parse_rpc_result(m.body);
      REQUIRE(r.ok());
      mtp::Bytes inner(r->result.begin(), r->result.end());
      if (mtp::tl::object_id(inner) == mtp::tl::kGzipPackedId) {
        auto unpacked = mtp::tl::unpack_gzip_packed(inner);
        REQUIRE(unpacked.ok());
        inner = std::move(*unpacked);
      }
      results[r->req_msg_id] = std::move(inner);
    }
  }
  co_return results;
}

// auth.sendCode + auth.signIn with the manifest account's code.
asio::awaitable<void> login(RawClient& c) {
  // Requests are named variables: GCC 12 destroys temporaries of a co_await expression twice.
  const api::auth_sendCode send_code{kPhone, 1, "hash", api::codeSettings{}};
  auto sent_raw = co_await call(c, send_code);
  auto sent = parse_result<api::auth_SentCode>(sent_raw);
  const std::string hash = sent.get<api::auth_sentCode>().phone_code_hash;
  const api::auth_signIn sign_in{kPhone, hash, kCode, std::nullopt};
  auto auth_raw = co_await call(c, sign_in);
  auto auth = parse_result<api::auth_Authorization>(auth_raw);
  REQUIRE(auth.is<api::auth_authorization>());
}

// Message `id` of channel tgdemo as channels.getMessages returns it: its document (with a fresh
// file reference).
asio::awaitable<api::document> fetch_document(WireDc& dc, RawClient& c, int id) {
  const Channel* ch = dc.world().world().find_channel_by_username("tgdemo");
  REQUIRE(ch != nullptr);
  api::channels_getMessages request;
  request.channel = api::inputChannel{ch->id, ch->access_hash};
  request.id.push_back(api::inputMessageID{id});
  auto raw = co_await call(c, request);
  auto res = parse_result<api::messages_Messages>(raw);
  const auto& msgs = res.get<api::messages_channelMessages>().messages;
  REQUIRE(msgs.size() == 1);
  const auto& m = msgs[0].get<api::message>();
  REQUIRE(m.media);
  co_return m.media->get<api::messageMediaDocument>().document->get<api::document>();
}

mtp::Bytes get_file(const api::document& d, std::int64_t offset, std::int64_t limit, bool precise = false) {
  api::upload_getFile request;
  request.precise = precise;
  request.location = api::inputDocumentFileLocation{d.id, d.access_hash, d.file_reference, ""};
  request.offset = offset;
  request.limit = static_cast<std::int32_t>(limit);
  return tl_bytes(request);
}

mtp::Bytes file_bytes(const mtp::Bytes& result) {
  return parse_result<api::upload_File>(result).get<api::upload_file>().bytes;
}

asio::awaitable<mtp::Bytes> send_raw(RawClient& c, const mtp::Bytes& body) {
  auto sent = co_await c.send(body);
  REQUIRE(sent.ok());
  auto result = co_await c.receive_result(*sent, 10s);
  REQUIRE(result.ok());
  co_return std::move(*result);
}

}  // namespace

TEST_CASE("upload.getFile over the wire: part rules, precise, FILE_MIGRATE_4, bytes equal the file", "[api]") {
  WireDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client(2);
    co_await login(c);
    const api::document big = co_await fetch_document(dc, c, 2);    // 2.5 MiB + 123 on DC 2
    const api::document small = co_await fetch_document(dc, c, 1);  // 5000 bytes on DC 2
    const api::document on_dc4 = co_await fetch_document(dc, c, 3);
    REQUIRE(big.size == testdc::test::kBigSize);
    REQUIRE(on_dc4.dc_id == 4);

    struct Case {
      std::int64_t offset, limit;
      bool precise;
      const char* error;
    };
    const Case violations[] = {
        {0, 1000, false, "LIMIT_INVALID 400"},                   // not a multiple of 4 KiB
        {0, 2 * kMiB, false, "LIMIT_INVALID 400"},               // above 1 MiB
        {0, 12 * kKiB, false, "LIMIT_INVALID 400"},              // 1 MiB % 12 KiB != 0
        {1000, 4 * kKiB, false, "OFFSET_INVALID 400"},           // offset not a multiple of 4 KiB
        {2 * kKiB, 4 * kKiB, false, "OFFSET_INVALID 400"},       // 1 KiB multiple needs precise
        {kMiB - 4 * kKiB, 8 * kKiB, false, "LIMIT_INVALID 400"},  // crosses the 1 MiB boundary
        {kMiB - 2 * kKiB, 3 * kKiB, true, "LIMIT_INVALID 400"},   // precise keeps the boundary rule
        {kKiB + 512, 4 * kKiB, true, "OFFSET_INVALID 400"},       // precise still wants 1 KiB multiples
    };
    for (const auto& v : violations) {
      INFO("offset " << v.offset << " limit " << v.limit << " precise " << v.precise);
      const auto request = get_file(big, v.offset, v.limit, v.precise);
      auto result = co_await send_raw(c, request);
      CHECK(error_of(result) == v.error);
    }

    // precise relaxes to 1 KiB multiples and lifts "limit divides 1 MiB".
    const std::int64_t p_offset = kMiB + 3 * kKiB, p_limit = 5 * kKiB;
    const auto precise_request = get_file(big, p_offset, p_limit, true);
    auto precise = co_await send_raw(c, precise_request);
    CHECK(file_bytes(precise) == slice(dc.world().big_file(), p_offset, p_limit));

    // A document stored on DC 4 asked for on DC 2.
    const auto migrate_request = get_file(on_dc4, 0, 4 * kKiB);
    auto migrate = co_await send_raw(c, migrate_request);
    CHECK(error_of(migrate) == "FILE_MIGRATE_4 303");

    // Valid parts: a full 1 MiB part in the middle, and the whole small file in one part.
    const auto middle_request = get_file(big, kMiB, kMiB);
    auto middle = co_await send_raw(c, middle_request);
    CHECK(file_bytes(middle) == slice(dc.world().big_file(), kMiB, kMiB));
    const auto whole_request = get_file(small, 0, 8 * kKiB);
    auto whole = co_await send_raw(c, whole_request);
    CHECK(file_bytes(whole) == dc.world().small_file());

    CHECK(dc.state().log().count("upload.getFile") == std::size(violations) + 4);
  });
}

TEST_CASE("concurrent auth.exportAuthorization: superseded bytes AUTH_BYTES_INVALID, newest once", "[api]") {
  WireDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto home = co_await dc.client(2);
    co_await login(home);
    const api::document on_dc4 = co_await fetch_document(dc, home, 3);

    // Two exports for DC 4 in flight together (one container), as two racing clients would send.
    std::vector<std::int64_t> ids;
    std::vector<mtp::Bytes> both;
    both.push_back(tl_bytes(api::auth_exportAuthorization{4}));
    both.push_back(tl_bytes(api::auth_exportAuthorization{4}));
    auto exports = co_await call_together(home, both, ids);
    REQUIRE(ids.size() == 2);
    auto first = parse_result<api::auth_ExportedAuthorization>(exports[ids[0]]).get<api::auth_exportedAuthorization>();
    auto newest = parse_result<api::auth_ExportedAuthorization>(exports[ids[1]]).get<api::auth_exportedAuthorization>();
    CHECK(first.id == testdc::test::kUserPlain);
    CHECK(newest.id == testdc::test::kUserPlain);
    REQUIRE(first.bytes != newest.bytes);

    // A fresh DC-4 key: not logged in yet.
    auto foreign = co_await dc.client(4);
    const auto dc4_part = get_file(on_dc4, 0, 8 * kKiB);
    auto before = co_await send_raw(foreign, dc4_part);
    CHECK(error_of(before) == "AUTH_KEY_UNREGISTERED 401");

    const api::auth_importAuthorization import_first{first.id, first.bytes};
    const api::auth_importAuthorization import_newest{newest.id, newest.bytes};
    auto superseded = co_await call(foreign, import_first);
    CHECK(error_of(superseded) == "AUTH_BYTES_INVALID 400");

    auto imported = co_await call(foreign, import_newest);
    auto auth = parse_result<api::auth_Authorization>(imported);
    REQUIRE(auth.is<api::auth_authorization>());
    // The key is now the user's on DC 4: the DC-4 document downloads there.
    auto part = co_await send_raw(foreign, dc4_part);
    CHECK(file_bytes(part) == dc.world().small_file());

    // The same bytes a second time, on another fresh DC-4 key: single-use.
    auto other = co_await dc.client(4);
    auto reused = co_await call(other, import_newest);
    CHECK(error_of(reused) == "AUTH_BYTES_INVALID 400");
    // And on the key that already took them.
    auto again = co_await call(foreign, import_newest);
    CHECK(error_of(again) == "AUTH_BYTES_INVALID 400");

    CHECK(dc.state().log().count("auth.exportAuthorization") == 2);
    CHECK(dc.state().log().count("auth.importAuthorization") == 4);
  });
}
