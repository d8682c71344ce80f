#pragma once
// The client's DC manager: one auth key per DC (kept in the account's store), any number of
// sessions per DC sharing it (each its own session_id and connection: "lanes"), the home DC where
// the account lives, and the authorization of other DCs by export/import, done once per DC
// however many coroutines need it at the same moment (a per-DC AsyncMutex; FACTS §2).
//
// call()/invoke() is where Telegram's redirections and transient failures are absorbed:
//   303 PHONE/USER/NETWORK_MIGRATE_X  the home DC moves to X (remembered), the call is repeated
//   303 FILE_MIGRATE_X                this call goes to DC X instead
//   401 AUTH_KEY_UNREGISTERED         foreign DC: import again; home DC: the login is gone (error)
//   transport -404                    the DC forgot our key: a new one (home: the login is gone)
//   500 INTERNAL..., timeouts         repeated a few times with a growing pause
//   an answer that does not decode    likewise (kErrMalformed: the server or the path garbled it)
//   420 FLOOD_WAIT_X, X small         waited out; larger X goes back to the caller. Media traffic
//                                     (Purpose::kMedia) always gets it back: the download engine
//                                     closes that method on that DC for every request, not one
//
//   auto client = Client::create(executor, config, store).value();
//   co_await client->start();                                   // first contact, dc_options
//   auto me = co_await client->invoke(get_users);  // name requests first: GCC 12 mishandles temporaries in co_await
//   co_await client->get_file_part(4, get_file, lane, [&](const FilePartView& p) { ... });
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <map>
#include <memory>
#include <optional>

#include "client/client_config.hpp"
#include "core/async_mutex.hpp"
#include "dc/account_store.hpp"
#include "dc/dc_address.hpp"
#include "session/session.hpp"
#include "tl/object.hpp"

namespace mtp::client {

using dc::Purpose;
using session::FilePartView;
using session::Session;

// The login is gone or never was: the account must log in (again). The CLI's exit code says so.
bool is_login_required(const Error& error);

class Client : public std::enable_shared_from_this<Client> {
 public:
  static constexpr int kHomeDc = 0;  // "wherever the account lives", followed through migrations

  // Errors: ACCOUNT_OTHER_NETWORK when the store holds keys of another network (production vs a
  // test server): keys are never offered to a server they were not made with.
  static Result<std::shared_ptr<Client>> create(asio::any_io_executor executor, ClientConfig config,
                                                std::shared_ptr<dc::AccountStore> store);

  // First contact: invokeWithLayer(initConnection(help.getConfig)) when the cached dc_options are
  // missing or expired; otherwise nothing goes over the network yet.
  asio::awaitable<Status> start();
  // Stops every session (waiting calls fail with kErrCancelled).
  void stop();

  int home_dc() const { return home_dc_; }
  bool logged_in() const { return user_id_ != 0; }
  std::int64_t user_id() const { return user_id_; }
  const dc::DcDirectory& directory() const { return directory_; }
  const ClientConfig& config() const { return config_; }

  template <class Request>
  asio::awaitable<Result<typename Request::ResultType>> invoke(const Request& request) {
    co_return co_await invoke_on(kHomeDc, request);
  }

  template <class Request>
  asio::awaitable<Result<typename Request::ResultType>> invoke_on(int dc, const Request& request,
                                                                   Purpose purpose = Purpose::kMain, int lane = 0) {
    std::optional<typename Request::ResultType> value;
    // Named first: GCC 12 mishandles temporaries inside a co_await expression.
    Bytes bytes = tl::serialize(request);
    auto handler = session::parse_answer_into(value);
    Status status = co_await call(dc, purpose, lane, std::move(bytes), std::move(handler));
    if (!status) co_return std::move(status).error();
    co_return std::move(*value);
  }

  // upload.getFile on DC `dc` (media addresses preferred), lane `lane`; `on_part` sees the bytes as
  // a view into the receive buffer, valid during the call only.
  template <class GetFileRequest>
  asio::awaitable<Status> get_file_part(int dc, const GetFileRequest& request, int lane,
                                        std::function<void(const FilePartView&)> on_part) {
    Bytes bytes = tl::serialize(request);
    auto handler = session::file_part_handler(std::move(on_part));
    co_return co_await call(dc, Purpose::kMedia, lane, std::move(bytes), std::move(handler));
  }

  // The general form: serialized request, answer as a view. `dc` may be kHomeDc.
  asio::awaitable<Status> call(int dc, Purpose purpose, int lane, Bytes request, Session::AnswerHandler on_answer);

  // Drops the connection of one session as if the network failed (its requests are sent again on a
  // new connection): the download watchdog's answer to a path that went silent. No-op when the
  // session does not exist.
  void drop_connection(int dc, Purpose purpose, int lane);
  // Connections that session has opened so far (0 when it does not exist): when it grows, the
  // session's connection broke (or was dropped) and a new one took over.
  int connections_opened(int dc, Purpose purpose, int lane) const;

  // The account's authorization on `dc` (export from home + import there), once.
  asio::awaitable<Status> ensure_authorized(int dc);

  // Login finished on the home DC: remember who we are.
  Status on_logged_in(std::int64_t user_id);
  // Logout: forget the user and every key (the server has revoked the authorization).
  Status forget_account();

  struct Stats {
    int handshakes = 0;  // auth keys created
    int exports = 0;     // auth.exportAuthorization answered
    int imports = 0;     // auth.importAuthorization answered (either way)
    int migrations = 0;  // 303s followed
    int retries = 0;     // transient failures repeated
  };
  const Stats& stats() const { return stats_; }

 private:
  struct DcState {
    std::shared_ptr<const Bytes> key;  // 256 bytes once known
    std::int64_t salt = 0;
    std::int64_t time_offset_ns = 0;
    bool time_from_handshake = false;   // the offset was learnt by this process's handshake
    bool authorized = false;
    std::uint64_t auth_generation = 0;  // bumped whenever `authorized` changes
    AsyncMutex key_mutex;               // one handshake per DC
    AsyncMutex auth_mutex;              // one export/import per DC
  };
  struct LaneKey {
    int dc;
    Purpose purpose;
    int lane;
    auto operator<=>(const LaneKey&) const = default;
  };

  Client(asio::any_io_executor executor, ClientConfig config, std::shared_ptr<dc::AccountStore> store);

  DcState& dc_state(int dc);
  asio::awaitable<Result<std::shared_ptr<const Bytes>>> auth_key_for(int dc);
  asio::awaitable<Result<std::shared_ptr<Session>>> session_for(int dc, Purpose purpose, int lane);
  Session::Connector connector_for(int dc, Purpose purpose);
  asio::awaitable<Status> refresh_config();
  asio::awaitable<Status> ensure_address(int dc);
  void forget_key(int dc);
  std::int64_t current_time_offset(int dc);
  Status move_home(int dc);
  Error login_gone(Error cause);
  asio::awaitable<void> pause(std::chrono::milliseconds duration);

  asio::any_io_executor executor_;
  ClientConfig config_;
  std::shared_ptr<dc::AccountStore> store_;
  std::vector<crypto::RsaPublicKey> trusted_keys_;
  std::function<Bytes(ByteSpan)> wrap_first_request_;
  dc::DcDirectory directory_;
  int home_dc_ = 2;
  std::int64_t user_id_ = 0;
  std::map<int, std::unique_ptr<DcState>> dcs_;
  std::map<LaneKey, std::shared_ptr<Session>> sessions_;
  AsyncMutex config_mutex_;
  bool stopped_ = false;
  Stats stats_;
};

}  // namespace mtp::client
