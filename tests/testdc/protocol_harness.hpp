#pragma once
// An in-process test DC for the protocol tests: ServerState + ServerCore + listeners on ephemeral
// ports, driven by the same io_context as the test's client coroutine (one thread, no sleeps:
// run() returns when the test coroutine is done).
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include <exception>
#include <functional>
#include <memory>

#include "api_call.hpp"
#include "listener.hpp"
#include "raw_client.hpp"
#include "server_core.hpp"
#include "server_state.hpp"
#include "tl/api.hpp"
#include "world.hpp"

namespace testdc::testing {

// Runs `body` on `io` (one thread, this one) until it finishes; rethrows what it throws.
void run_coroutine(asio::io_context& io, std::function<asio::awaitable<void>()> body);
// After the listeners stopped: lets closed connections and pending coroutines unwind before the
// server state they point to goes away.
void drain(asio::io_context& io);

// A world with DCs 1, 2 (with a media address) and 4, one account, and the given conditions.
World test_world(Conditions conditions = {});

// Answers upload.getFile with `limit` bytes of a recognisable pattern (no file on disk needed) and
// everything else through the real API handlers.
asio::awaitable<ApiReply> fake_file_handler(ApiCall& call);

// The server's RSA key, generated once per test process (2048-bit generation is slow).
const mtp::crypto::RsaPrivateKey& test_rsa_key();

class InProcessDc {
 public:
  explicit InProcessDc(Conditions conditions = {}, ApiHandler handler = fake_file_handler);
  ~InProcessDc();

  asio::io_context& io() { return io_; }
  ServerCore& core() { return *core_; }
  ServerState& state() { return *state_; }
  int port(int dc) const;

  // Runs `body` on the io_context until it finishes; rethrows what it throws.
  void run(std::function<asio::awaitable<void>()> body);

  // A connected client with a fresh key from a real handshake on DC `dc`.
  asio::awaitable<RawClient> client(int dc = 2);
  // A connected client that reuses `key` (a new session unless session_id is given).
  asio::awaitable<RawClient> client_with_key(const mtp::auth::AuthKeyResult& key,
                                             std::optional<std::int64_t> session_id = std::nullopt, int dc = 2);

 private:
  asio::io_context io_;
  std::unique_ptr<ServerState> state_;
  std::unique_ptr<ServerCore> core_;
  std::unique_ptr<Listeners> listeners_;
};

// upload.getFile for `limit` bytes at `offset` of a made-up document.
mtp::Bytes get_file_request(std::int64_t offset, std::int32_t limit);
// ping with ping_id.
mtp::Bytes ping_request(std::int64_t ping_id);

}  // namespace testdc::testing
