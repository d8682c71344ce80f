#include "session/session.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

#include "core/log_sink.hpp"

namespace mtp::session {

struct Session::Waiter {
  explicit Waiter(asio::any_io_executor ex) : timer(ex) {}
  asio::steady_timer timer;  // expires at the request timeout; cancelled when the answer is in
  AnswerHandler on_answer;
  std::optional<Status> result;
};

namespace {
// Awaits a timer without throwing on cancellation; true when it expired by itself.
asio::awaitable<bool> expired(asio::steady_timer& timer) {
  std::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}
}  // namespace

std::shared_ptr<Session> Session::create(asio::any_io_executor executor, crypto::AuthKeySpan auth_key,
                                         SessionDriverOptions options, Connector connector) {
  return std::shared_ptr<Session>(new Session(std::move(executor), auth_key, std::move(options), std::move(connector)));
}

Session::Session(asio::any_io_executor executor, crypto::AuthKeySpan auth_key, SessionDriverOptions options,
                 Connector connector)
    : executor_(executor),
      options_(std::move(options)),
      connector_(std::move(connector)),
      core_(auth_key, options_.session),
      writer_wake_(executor),
      idle_(executor) {}

void Session::start() {
  if (started_) return;
  started_ = true;
  asio::co_spawn(executor_, [self = shared_from_this()]() { return self->run(); }, asio::detached);
}

void Session::stop() {
  stopped_ = true;
  drop_connection();
  idle_.cancel();
  fail_all(Error::local(kErrCancelled, "SESSION_STOPPED", "the session was stopped"));
}

void Session::drop_connection() {
  if (stream_) stream_->close();
  writer_wake_.cancel();
}

void Session::wake_writer() { writer_wake_.cancel(); }

asio::awaitable<Status> Session::invoke_raw(Bytes request, AnswerHandler on_answer) {
  if (stopped_) co_return Error::local(kErrCancelled, "SESSION_STOPPED", "the session was stopped");
  auto keep_alive = shared_from_this();
  auto waiter = std::make_shared<Waiter>(executor_);
  waiter->on_answer = std::move(on_answer);
  waiter->timer.expires_after(options_.request_timeout);
  const RequestId id = core_.enqueue(std::move(request));
  waiters_[id] = waiter;
  wake_writer();
  idle_.cancel();
  while (!waiter->result) {
    const bool timed_out = co_await expired(waiter->timer);
    if (timed_out && !waiter->result) {
      core_.cancel(id);
      waiters_.erase(id);
      co_return Error::local(kErrTimeout, "REQUEST_TIMEOUT", "no answer in time");
    }
  }
  co_return std::move(*waiter->result);
}

void Session::finish(RequestId id, Status status) {
  auto it = waiters_.find(id);
  if (it == waiters_.end()) return;
  it->second->result = std::move(status);
  it->second->timer.cancel();
  waiters_.erase(it);
}

void Session::fail_all(const Error& error) {
  auto waiters = std::move(waiters_);
  waiters_.clear();
  for (auto& [id, w] : waiters) {
    core_.cancel(id);
    w->result = error;
    w->timer.cancel();
  }
}

void Session::dispatch(Incoming& incoming) {
  for (Answer& answer : incoming.answers) {
    auto it = waiters_.find(answer.request);
    if (it == waiters_.end()) continue;
    // The handler runs now, while the views point into the live receive buffer.
    Status status = answer.body ? it->second->on_answer(*answer.body) : Status(std::move(answer.body).error());
    finish(answer.request, std::move(status));
  }
}

asio::awaitable<void> Session::run() {
  auto self = shared_from_this();
  int failures = 0;
  bool wait_for_work = false;
  while (!stopped_) {
    if (wait_for_work && waiters_.empty()) {
      // Nothing to do: connect again only when someone asks for something.
      idle_.expires_at(asio::steady_timer::time_point::max());
      co_await expired(idle_);
      continue;
    }
    wait_for_work = false;
    auto connected = co_await connector_();
    if (stopped_) break;
    if (!connected) {
      log_event(LogLevel::kInfo, "connect_failed", {{"attempt", std::int64_t{failures + 1}}, {"type", connected.error().type}});
      if (++failures >= options_.max_connect_failures) {
        failures = 0;
        fail_all(connected.error());
        wait_for_work = true;
        continue;
      }
      idle_.expires_after(options_.reconnect_delay);
      co_await expired(idle_);
      continue;
    }
    failures = 0;
    ++connections_opened_;
    if (connections_opened_ > 1) log_event(LogLevel::kInfo, "reconnected", {{"connections", std::int64_t{connections_opened_}}});
    stream_ = std::make_shared<transport::PacketStream>(std::move(*connected));
    const std::uint64_t generation = ++generation_;
    asio::co_spawn(executor_, write_loop(stream_, generation), asio::detached);
    Status ended = co_await read_loop(stream_);
    (void)ended;  // every failure is handled alike: a new connection, same session
    stream_->close();
    stream_.reset();
    ++generation_;
    writer_wake_.cancel();
    core_.on_connection_lost();
    wait_for_work = true;
  }
  if (stream_) stream_->close();
}

asio::awaitable<Status> Session::read_loop(std::shared_ptr<transport::PacketStream> stream) {
  int silent = 0;
  for (;;) {
    auto packet = co_await stream->receive(options_.keepalive);
    if (!packet && packet.error().code == kErrTimeout && stream->is_open() && ++silent < 2) {
      core_.enqueue_ping(next_ping_id_++);
      wake_writer();
      continue;
    }
    if (!packet) co_return std::move(packet).error();
    silent = 0;
    if (packet->type == transport::Packet::Type::kQuickAck) continue;
    if (packet->type == transport::Packet::Type::kTransportError) {
      Error e = Error::local(kErrTransport, "TRANSPORT_ERROR", "the server sent a transport error");
      e.value = packet->error_code;
      // -404 and friends mean this auth key or connection is unusable: surface it to the callers.
      fail_all(e);
      co_return e;
    }
    auto incoming = core_.on_packet(packet->payload, std::chrono::steady_clock::now());
    if (!incoming) co_return std::move(incoming).error();  // never trust the bytes: drop the connection
    dispatch(*incoming);
    if (core_.wants_to_send(std::chrono::steady_clock::now()) || core_.ack_deadline()) wake_writer();
  }
}

asio::awaitable<void> Session::write_loop(std::shared_ptr<transport::PacketStream> stream, std::uint64_t generation) {
  auto self = shared_from_this();
  while (generation == generation_ && stream->is_open()) {
    for (;;) {
      auto packet = core_.next_packet(std::chrono::steady_clock::now());
      if (!packet) {
        stream->close();  // cannot happen with valid state; the reconnect resends everything
        co_return;
      }
      if (!*packet) break;
      Status sent = co_await stream->send(**packet);
      if (!sent) {
        stream->close();
        co_return;
      }
      if (generation != generation_) co_return;
    }
    auto deadline = core_.ack_deadline();
    if (deadline) writer_wake_.expires_at(*deadline);
    else writer_wake_.expires_at(asio::steady_timer::time_point::max());
    co_await expired(writer_wake_);
  }
}

}  // namespace mtp::session
