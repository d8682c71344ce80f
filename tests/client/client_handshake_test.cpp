// Handshakes the client must refuse, against a test DC started with a --handshake-fault: a server
// that only offers an RSA key we do not trust, a DH prime that is not a safe prime, a g_a outside
// (1, p-1). Each fails with a security error that names the problem; nothing is stored.
#include "client/login.hpp"
#include "client_world.hpp"
#include "tl/api.hpp"

using namespace tgget::testing;
using mtp::client::Client;

namespace {

mtp::Error start_error(const TestDcProcess& dc) {
  mtp::Error error;
  bool failed = false;
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    mtp::Status started = co_await client->start();
    if (!started) {
      failed = true;
      error = started.error();
    }
    client->stop();
  });
  REQUIRE(failed);
  // No key was kept.
  auto store = mtp::dc::AccountStore::open(account_db(dc));
  REQUIRE(store.ok());
  auto key = (*store)->load_key(2);
  REQUIRE(key.ok());
  CHECK_FALSE(key->has_value());
  return error;
}

}  // namespace

TEST_CASE("a server offering only an unknown RSA fingerprint is refused") {
  TestDcProcess dc(client_world({"--handshake-fault", "unknown-fingerprint"}));
  const mtp::Error e = start_error(dc);
  INFO(e.to_string());
  CHECK(e.code == mtp::kErrSecurity);
  CHECK(e.to_string().find("UNKNOWN_FINGERPRINT") != std::string::npos);
}

TEST_CASE("a DH prime that is not a safe prime is refused") {
  TestDcProcess dc(client_world({"--handshake-fault", "bad-dh-prime"}));
  const mtp::Error e = start_error(dc);
  INFO(e.to_string());
  CHECK(e.code == mtp::kErrSecurity);
  CHECK(e.to_string().find("DH_PRIME_INVALID") != std::string::npos);
}

TEST_CASE("g_a out of range is refused") {
  TestDcProcess dc(client_world({"--handshake-fault", "g-a-out-of-range"}));
  const mtp::Error e = start_error(dc);
  INFO(e.to_string());
  CHECK(e.code == mtp::kErrSecurity);
  CHECK(e.to_string().find("DH_VALUE_OUT_OF_RANGE") != std::string::npos);
}
