// 200 calls through a test DC that misbehaves in every way a real network and server do at once:
// connections reset every 3 MiB, 1% of calls answered 500 INTERNAL, answers out of order, a
// bad_server_salt forced on every new session, and a server clock 40 s behind a client that
// believes otherwise (its msg_ids look 40 s in the future: bad_msg_notification 17). Every call must complete with the right result. Never co_await in a macro.
#include <set>

#include "client/login.hpp"
#include "client_world.hpp"
#include "tl/api.hpp"

using namespace tgget::testing;
using mtp::client::Client;
namespace api = mtp::tl::api;


TEST_CASE("200 calls complete under resets + 500s + reordering + a forced bad_server_salt + a clock 40 s off") {
  TestDcProcess dc(client_world({"--reset-every-bytes", "3145728", "--rpc-error-500-rate", "0.01", "--out-of-order",
                                 "--force-bad-salt", "--clock-offset", "-40", "--seed", "11"}));
  const mtp::Bytes expected = pattern_bytes(kFileDc2Size, 2);
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    co_await log_in(*client);
    client->stop();
  });

  // The key's stored clock offset says "no offset" (as if made when both clocks agreed): the
  // first messages of the next run carry msg_ids 40 s ahead of the server's clock, past the 30 s
  // Telegram allows (bad_msg_notification 17).
  {
    auto store = mtp::dc::AccountStore::open(account_db(dc));
    REQUIRE(store.ok());
    auto key = (*store)->load_key(2);
    REQUIRE(key.ok());
    REQUIRE(key->has_value());
    auto changed = **key;
    changed.time_offset_ns = 0;
    REQUIRE((*store)->save_key(changed).ok());
  }

  constexpr int kCalls = 200;
  constexpr int kLanes = 4;
  constexpr std::int32_t kPart = 256 * 1024;  // 100 parts: 25 MiB, so every lane passes 3 MiB at least once
  int correct = 0;
  std::vector<std::string> failures;
  mtp::client::Client::Stats stats;
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    const api::document doc = co_await document_of(*client, 1);
    const std::int64_t user_id = client->user_id();

    int next = 0;
    asio::steady_timer all_done(io, asio::steady_timer::time_point::max());
    int lanes_left = kLanes;
    for (int lane = 0; lane < kLanes; ++lane) {
      asio::co_spawn(io, [&, lane]() -> asio::awaitable<void> {
        while (next < kCalls) {
          const int i = next++;
          if (i % 4 == 0) {
            const api::help_getNearestDc get_nearest;
            auto nearest = co_await client->invoke(get_nearest);
            if (!nearest) failures.push_back(nearest.error().to_string());
            else if (nearest->get<api::nearestDc>().this_dc == 2) ++correct;
          } else if (i % 4 == 1) {
            api::users_getUsers self;
            self.id.push_back(api::inputUserSelf{});
            auto users = co_await client->invoke(self);
            if (!users) failures.push_back(users.error().to_string());
            else if (!users->empty() && users->front().get<api::user>().id == user_id) ++correct;
          } else {
            const std::int64_t offset = (std::int64_t{i} * kPart) % static_cast<std::int64_t>(kFileDc2Size - kPart);
            const std::int64_t aligned = offset - offset % kPart;
            const auto request = get_file(doc, aligned, kPart);
            bool same = false;
            mtp::Status status = co_await client->get_file_part(2, request, lane, [&](const mtp::client::FilePartView& part) {
              same = part.bytes.size() == kPart &&
                     std::equal(part.bytes.begin(), part.bytes.end(), expected.begin() + aligned);
            });
            if (!status) failures.push_back(status.error().to_string());
            else if (same) ++correct;
          }
        }
        if (--lanes_left == 0) all_done.cancel();
      }, asio::detached);
    }
    std::error_code ec;
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    stats = client->stats();
    client->stop();
  });
  INFO("retries " << stats.retries << ", migrations " << stats.migrations);
  for (const auto& f : failures) UNSCOPED_INFO("failed: " << f);
  CHECK(failures.empty());
  CHECK(correct == kCalls);
  // The faults did happen: more connections than lanes (resets), 500s answered along the way.
  std::set<std::string> connections;
  int internal_errors = 0;
  for (const auto& line : dc.rpc_log()) {
    if (line.dc == 2) connections.insert(line.connection);
    if (line.result == "INTERNAL") ++internal_errors;
  }
  CHECK(connections.size() >= kLanes + 3);
  CHECK(internal_errors >= 1);
  // The client was corrected and recovered: its clock (17) and its salt (48) on every new session.
  CHECK(dc.count("bad_msg_notification", "17") >= 1);
  CHECK(dc.count("bad_server_salt", "48") >= kLanes);
  // What the server taught is kept for the next run.
  auto store = mtp::dc::AccountStore::open(account_db(dc));
  REQUIRE(store.ok());
  auto key = (*store)->load_key(2);
  REQUIRE(key.ok());
  REQUIRE(key->has_value());
  const double offset_s = static_cast<double>((*key)->time_offset_ns) / 1e9;
  CHECK(offset_s == Approx(-40.0).margin(2.0));
}
