#pragma once
// The awaitable face of a ClientSession: one MTProto session over a PacketStream that is
// (re)connected on demand. Any number of coroutines may invoke() at once; their requests are
// batched into containers by the sans-io core, one writer loop sends, one reader loop decrypts and
// wakes the waiting callers. Everything runs on the executor given (one io_context thread can drive
// dozens of sessions: no blocking, no threads of its own).
//
//   auto session = Session::create(executor, auth_key, options, connector);
//   session->start();
//   auto dc = co_await session->invoke(api::help_getNearestDc{});   // Result<api::NearestDc>
//   co_await session->invoke_file_part(get_file, [&](const FilePartView& part) {
//     pwrite(fd, part.bytes.data(), part.bytes.size(), offset);     // a view, valid during the call
//   });
//   session->stop();
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include "session/client_session.hpp"
#include "session/rpc_result.hpp"
#include "transport/stream.hpp"

namespace mtp::session {

struct SessionDriverOptions {
  SessionOptions session;
  // A request without an answer after this long fails with kErrTimeout (its answer is then ignored).
  std::chrono::milliseconds request_timeout{60'000};
  // Connect attempts in a row that may fail before every waiting request fails with the error.
  int max_connect_failures = 3;
  std::chrono::milliseconds reconnect_delay{200};
  // Silence this long on a connection sends a ping_delay_disconnect; a second silent interval
  // means the connection is dead (dropped and replaced, requests resent).
  std::chrono::milliseconds keepalive{30'000};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // Opens a new connection to the session's DC (the session itself survives reconnects).
  using Connector = std::function<asio::awaitable<Result<transport::PacketStream>>()>;
  // Sees the answer object as a view into the receive buffer, only during the call.
  using AnswerHandler = std::function<Status(ByteSpan answer)>;

  static std::shared_ptr<Session> create(asio::any_io_executor executor, crypto::AuthKeySpan auth_key,
                                         SessionDriverOptions options, Connector connector);

  // Starts the connection loop (connects right away). Idempotent.
  void start();
  // Closes the connection and fails every waiting request with kErrCancelled.
  void stop();

  template <class Request>
  asio::awaitable<Result<typename Request::ResultType>> invoke(const Request& request) {
    std::optional<typename Request::ResultType> value;
    // Named first: GCC 12 mishandles temporaries inside a co_await expression.
    Bytes bytes = tl::serialize(request);
    auto handler = parse_answer_into(value);
    Status status = co_await invoke_raw(std::move(bytes), std::move(handler));
    if (!status) co_return std::move(status).error();
    co_return std::move(*value);
  }

  // upload.getFile with the answer's bytes handed over as a view (no copy of the 1 MiB part).
  template <class GetFileRequest>
  asio::awaitable<Status> invoke_file_part(const GetFileRequest& request, std::function<void(const FilePartView&)> on_part) {
    Bytes bytes = tl::serialize(request);
    auto handler = file_part_handler(std::move(on_part));
    co_return co_await invoke_raw(std::move(bytes), std::move(handler));
  }

  // Sends serialized request bytes; `on_answer` runs with the answer view when it arrives.
  asio::awaitable<Status> invoke_raw(Bytes request, AnswerHandler on_answer);

  std::int64_t session_id() const { return core_.session_id(); }
  // The server's clock minus ours as this session knows it now (corrected by 16/17).
  std::chrono::nanoseconds server_time_offset() { return core_.message_ids().server_offset(); }
  std::size_t waiting() const { return waiters_.size(); }
  // Connections opened so far (a test hook, and a useful counter for logs).
  int connections_opened() const { return connections_opened_; }
  // Drops the current connection as if the network failed (tests, and the caller's own watchdog).
  void drop_connection();

 private:
  struct Waiter;
  Session(asio::any_io_executor executor, crypto::AuthKeySpan auth_key, SessionDriverOptions options,
          Connector connector);

  asio::awaitable<void> run();
  asio::awaitable<Status> read_loop(std::shared_ptr<transport::PacketStream> stream);
  asio::awaitable<void> write_loop(std::shared_ptr<transport::PacketStream> stream, std::uint64_t generation);
  void dispatch(Incoming& incoming);
  void finish(RequestId id, Status status);
  void fail_all(const Error& error);
  void wake_writer();

  asio::any_io_executor executor_;
  SessionDriverOptions options_;
  Connector connector_;
  ClientSession core_;
  std::unordered_map<RequestId, std::shared_ptr<Waiter>> waiters_;
  std::shared_ptr<transport::PacketStream> stream_;
  asio::steady_timer writer_wake_;
  asio::steady_timer idle_;  // the connection loop waits here when it has nothing to do
  std::uint64_t generation_ = 0;
  bool started_ = false;
  bool stopped_ = false;
  int connections_opened_ = 0;
  std::int64_t next_ping_id_ = 1;
};

}  // namespace mtp::session
