// Cross-DC authorization: many connections at once to a DC that is not the account's home, and
// exactly one auth.exportAuthorization for it (the per-DC mutex), all answers correct; the
// imported authorization survives a restart. Never co_await inside a Catch2 macro.
#include <asio/detached.hpp>

#include "client/login.hpp"
#include "client_world.hpp"
#include "tl/api.hpp"

using namespace tgget::testing;
using mtp::client::Client;
namespace api = mtp::tl::api;


TEST_CASE("16 concurrent requests from 8 fresh connections to a foreign DC make exactly one export") {
  TestDcProcess dc(client_world());
  const mtp::Bytes expected = pattern_bytes(kFileDc4Size, 4);
  constexpr int kLanes = 8;
  constexpr int kPerLane = 2;
  constexpr std::int32_t kPart = 128 * 1024;
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    mtp::Status started = co_await client->start();
    REQUIRE(started.ok());
    co_await log_in(*client);
    const api::document doc = co_await document_of(*client, 2);
    REQUIRE(doc.dc_id == 4);

    // Every request is launched before any has an answer: they meet at DC 4's mutex.
    int finished = 0;
    int correct = 0;
    std::vector<std::string> failures;
    asio::steady_timer all_done(io, asio::steady_timer::time_point::max());
    for (int lane = 0; lane < kLanes; ++lane) {
      for (int k = 0; k < kPerLane; ++k) {
        const std::int64_t offset = std::int64_t{kPart} * (lane * kPerLane + k);
        asio::co_spawn(io, [&, lane, offset]() -> asio::awaitable<void> {
          mtp::Bytes got;
          auto request = get_file(doc, offset, kPart);
          mtp::Status status = co_await client->get_file_part(4, request, lane, [&](const mtp::client::FilePartView& part) {
            got.assign(part.bytes.begin(), part.bytes.end());
          });
          if (!status) failures.push_back(status.error().to_string());
          const auto end = std::min<std::size_t>(expected.size(), static_cast<std::size_t>(offset + kPart));
          if (status && got == mtp::Bytes(expected.begin() + offset, expected.begin() + static_cast<std::ptrdiff_t>(end))) {
            ++correct;
          }
          if (++finished == kLanes * kPerLane) all_done.cancel();
        }, asio::detached);
      }
    }
    std::error_code ec;
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    CHECK(failures.empty());
    CHECK(correct == kLanes * kPerLane);
    CHECK(client->stats().exports == 1);
    client->stop();
  });
  CHECK(dc.count("auth.exportAuthorization") == 1);
  CHECK(dc.count("auth.importAuthorization", "ok") == 1);
  CHECK(dc.count("upload.getFile", "ok") == kLanes * kPerLane);
  CHECK(dc.count("handshake", "ok") == 2);  // DC 2 and DC 4, one key each

  // After a restart the stored key of DC 4 still carries the authorization: no export, no handshake.
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    const api::document doc = co_await document_of(*client, 2);
    std::size_t size = 0;
    auto request = get_file(doc, 0, kPart);
    mtp::Status status = co_await client->get_file_part(4, request, 0, [&](const mtp::client::FilePartView& part) {
      size = part.bytes.size();
    });
    if (!status) FAIL(status.error().to_string());
    CHECK(size == kPart);
    client->stop();
  });
  CHECK(dc.count("auth.exportAuthorization") == 1);
  CHECK(dc.count("handshake", "ok") == 2);
}

TEST_CASE("FILE_MIGRATE sends the request to the file's DC") {
  TestDcProcess dc(client_world());
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    co_await log_in(*client);
    const api::document doc = co_await document_of(*client, 2);
    auto request = get_file(doc, 0, 4096);
    std::size_t size = 0;
    // Asked on the home DC (2); the server answers FILE_MIGRATE_4.
    mtp::Status status = co_await client->get_file_part(2, request, 0, [&](const mtp::client::FilePartView& part) {
      size = part.bytes.size();
    });
    if (!status) FAIL(status.error().to_string());
    CHECK(size == 4096);
    CHECK(client->stats().migrations == 1);
    client->stop();
  });
  CHECK(dc.count("upload.getFile", "FILE_MIGRATE_4") == 1);
}

TEST_CASE("AUTH_KEY_UNREGISTERED on a foreign DC imports the authorization again, once") {
  TestDcProcess dc(client_world());
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    co_await log_in(*client);
    const api::document doc = co_await document_of(*client, 2);
    auto request = get_file(doc, 0, 4096);
    std::size_t size = 0;
    auto on_part = [&](const mtp::client::FilePartView& part) { size = part.bytes.size(); };
    mtp::Status first = co_await client->get_file_part(4, request, 0, on_part);
    if (!first) FAIL(first.error().to_string());
    // The server forgets DC 4's authorization (as after a server-side session reset).
    const api::auth_logOut log_out;
    auto dropped = co_await client->invoke_on(4, log_out);
    REQUIRE(dropped.ok());
    size = 0;
    mtp::Status again = co_await client->get_file_part(4, request, 3, on_part);
    if (!again) FAIL(again.error().to_string());
    CHECK(size == 4096);
    CHECK(client->logged_in());  // the home DC's login is untouched
    client->stop();
  });
  CHECK(dc.count("upload.getFile", "AUTH_KEY_UNREGISTERED") == 1);
  CHECK(dc.count("auth.exportAuthorization") == 2);
  CHECK(dc.count("auth.importAuthorization", "ok") == 2);
}
