// Client::call: one request to a DC, with Telegram's redirections and transient failures absorbed
// (see client.hpp), and the cross-DC authorization it may need first.
#include <chrono>

#include "client/client.hpp"
#include "core/log_sink.hpp"
#include "tl/api.hpp"

namespace mtp::client {

namespace api = tl::api;
using namespace std::chrono_literals;

namespace {

bool is_home_migration(const Error& e) {
  return e.is("PHONE_MIGRATE") || e.is("USER_MIGRATE") || e.is("NETWORK_MIGRATE");
}

// Worth repeating as is: the server failed, not the request. An answer that does not decode (a
// bytes length past the message's end, a vector count of 2^31, a gzip_packed bomb, ...) is one
// too: it failed its call with a clear error and is never used, but a hostile or broken answer
// must not end a download the next answer would complete.
bool is_transient(const Error& e) {
  return (e.code >= 500 && e.code < 600) || e.code == kErrTimeout || e.code == kErrMalformed || e.is("RPC_CALL_FAIL") ||
         e.is("RPC_MCGET_FAIL") || e.is("WORKER_BUSY_TOO_LONG_RETRY") || e.is("TIMEOUT");
}

}  // namespace

asio::awaitable<Status> Client::call(int wanted_dc, Purpose purpose, int lane, Bytes request,
                                     Session::AnswerHandler on_answer) {
  bool follow_home = wanted_dc == kHomeDc;
  int dc = follow_home ? home_dc_ : wanted_dc;
  int migrations = 0;
  int retries = 0;
  for (;;) {
    if (stopped_) co_return Error::local(kErrCancelled, "CLIENT_STOPPED", "the client was stopped");
    if (follow_home) dc = home_dc_;
    const bool foreign = dc != home_dc_ && logged_in();
    std::uint64_t generation = 0;
    if (foreign) {
      Status authorized = co_await ensure_authorized(dc);
      if (!authorized) co_return authorized;
      generation = dc_state(dc).auth_generation;
    }
    auto session = co_await session_for(dc, purpose, lane);
    if (!session) co_return std::move(session).error();
    Bytes copy = request;  // kept for a repeat
    Status status = co_await (*session)->invoke_raw(std::move(copy), on_answer);
    if (status) co_return status;
    Error e = std::move(status).error();
    log_event(LogLevel::kInfo, "rpc_error",
              {{"dc", std::int64_t{dc}}, {"error_code", std::int64_t{e.code}}, {"type", e.type}, {"value", e.value.value_or(0)}});

    if (e.code == 303 && e.value && *e.value > 0) {
      if (++migrations > config_.max_migrations) co_return e;
      ++stats_.migrations;
      const int target = static_cast<int>(*e.value);
      log_event(LogLevel::kInfo, "dc_move", {{"from", std::int64_t{dc}}, {"to", std::int64_t{target}}, {"type", e.type}});
      if (e.is("FILE_MIGRATE")) {
        dc = target;
        follow_home = false;
        continue;
      }
      if (is_home_migration(e)) {
        MTP_CO_TRY(move_home(target));
        follow_home = true;
        continue;
      }
      co_return e;
    }
    if (e.code == 401 && e.is("AUTH_KEY_UNREGISTERED") && foreign) {
      // Our authorization on that DC is gone (or never took): import again, once for everyone.
      DcState& st = dc_state(dc);
      if (st.auth_generation == generation && st.authorized) {
        st.authorized = false;
        ++st.auth_generation;
        (void)store_->set_authorized(dc, false);
      }
      if (++migrations > config_.max_migrations) co_return e;
      continue;
    }
    if (e.code == kErrTransport && e.value == -404) {
      // The DC does not know our auth key (it was dropped server-side).
      const bool home_login_lost = dc == home_dc_ && logged_in();
      forget_key(dc);
      if (home_login_lost) co_return login_gone(std::move(e));
      if (++retries > config_.max_internal_retries) co_return e;
      ++stats_.retries;
      continue;
    }
    if (dc == home_dc_ && logged_in() && is_login_required(e)) co_return login_gone(std::move(e));
    if (is_transient(e) && retries < config_.max_internal_retries) {
      ++retries;
      ++stats_.retries;
      log_event(LogLevel::kInfo, "retry", {{"dc", std::int64_t{dc}}, {"attempt", std::int64_t{retries}}, {"type", e.type}});
      co_await pause(config_.internal_retry_delay * retries);
      continue;
    }
    if (e.code == 420 && e.is("FLOOD_WAIT") && e.value && purpose != Purpose::kMedia &&
        std::chrono::seconds(*e.value) <= config_.max_auto_flood_wait &&
        retries < config_.max_internal_retries) {
      ++retries;
      ++stats_.retries;
      log_event(LogLevel::kInfo, "flood_wait", {{"dc", std::int64_t{dc}}, {"seconds", *e.value}});
      co_await pause(std::chrono::seconds(*e.value) + 100ms);
      continue;
    }
    co_return e;
  }
}

asio::awaitable<Status> Client::ensure_authorized(int dc) {
  if (dc == home_dc_ || !logged_in()) co_return Status{};
  auto key = co_await auth_key_for(dc);  // loads whether the stored key is authorized already
  if (!key) co_return std::move(key).error();
  DcState& st = dc_state(dc);
  if (st.authorized) co_return Status{};
  auto guard = co_await st.auth_mutex.lock();
  if (st.authorized) co_return Status{};  // done by whoever held the lock before us

  int attempts = 0;
  for (;;) {
    const api::auth_exportAuthorization export_request{dc};
    auto exported = co_await invoke(export_request);
    if (!exported) co_return std::move(exported).error();
    ++stats_.exports;
    auto session = co_await session_for(dc, Purpose::kMain, 0);
    if (!session) co_return std::move(session).error();
    const auto& bytes = exported->get<api::auth_exportedAuthorization>();
    api::auth_importAuthorization import{bytes.id, bytes.bytes};
    auto imported = co_await (*session)->invoke(import);
    ++stats_.imports;
    if (imported) {
      st.authorized = true;
      ++st.auth_generation;
      MTP_CO_TRY(store_->set_authorized(dc, true));
      co_return Status{};
    }
    Error e = std::move(imported).error();
    // Bytes superseded or expired between export and import, or a server hiccup: export again.
    const bool again = e.is("AUTH_BYTES_INVALID") || is_transient(e);
    if (!again || ++attempts > config_.max_internal_retries) co_return e;
    ++stats_.retries;
  }
}

void Client::drop_connection(int dc, Purpose purpose, int lane) {
  auto it = sessions_.find(LaneKey{dc, purpose, lane});
  if (it != sessions_.end()) it->second->drop_connection();
}

int Client::connections_opened(int dc, Purpose purpose, int lane) const {
  auto it = sessions_.find(LaneKey{dc, purpose, lane});
  return it == sessions_.end() ? 0 : it->second->connections_opened();
}

Status Client::move_home(int dc) {
  if (dc == home_dc_) return {};
  home_dc_ = dc;
  return store_->put(dc::kMetaHomeDc, std::to_string(dc));
}

Status Client::on_logged_in(std::int64_t user_id) {
  user_id_ = user_id;
  DcState& st = dc_state(home_dc_);
  st.authorized = true;
  ++st.auth_generation;
  MTP_TRY(store_->set_authorized(home_dc_, true));
  MTP_TRY(store_->put(dc::kMetaHomeDc, std::to_string(home_dc_)));
  return store_->put(dc::kMetaUserId, std::to_string(user_id));
}

Error Client::login_gone(Error cause) {
  user_id_ = 0;
  for (auto& [dc, st] : dcs_) {
    st->authorized = false;
    ++st->auth_generation;
  }
  (void)store_->clear_authorizations();
  (void)store_->erase(dc::kMetaUserId);
  Error e = Error::rpc(401, "AUTH_KEY_UNREGISTERED");
  e.detail = "the login is gone (" + cause.to_string() + "); log in again";
  return e;
}

Status Client::forget_account() {
  stop();
  user_id_ = 0;
  dcs_.clear();
  return store_->wipe();
}

}  // namespace mtp::client
