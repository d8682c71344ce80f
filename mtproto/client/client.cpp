// Client: construction, first contact, auth keys and sessions per DC. The call loop with its
// migrations and retries is in client_call.cpp.
#include "client/client.hpp"

#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/redirect_error.hpp>
#include <charconv>
#include <chrono>

#include "auth/client_handshake_driver.hpp"
#include "client/init_connection.hpp"
#include "tl/api.hpp"

namespace mtp::client {

namespace api = tl::api;

namespace {

std::optional<std::int64_t> parse_number(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Error damaged(const dc::AccountStore& store, const char* what) {
  return Error::local(kErrIo, "ACCOUNT_DB_CORRUPT", store.path().string() + ": bad " + what);
}

}  // namespace

Result<std::shared_ptr<Client>> Client::create(asio::any_io_executor executor, ClientConfig config,
                                               std::shared_ptr<dc::AccountStore> store) {
  auto client = std::shared_ptr<Client>(new Client(std::move(executor), std::move(config), std::move(store)));
  auto keys = trusted_keys(client->config_);
  if (!keys) return std::move(keys).error();
  client->trusted_keys_ = std::move(*keys);

  auto& st = *client->store_;
  const std::string identity = network_identity(client->config_);
  auto network = st.get(dc::kMetaServer);
  if (!network) return std::move(network).error();
  if (*network && **network != identity) {
    return Error::local(kErrInvalidArgument, "ACCOUNT_OTHER_NETWORK",
                        st.path().string() + " holds keys for " + **network + ", not " + identity +
                            "; use another --home or log out first");
  }
  if (!*network) MTP_TRY(st.put(dc::kMetaServer, identity));

  if (auto home = st.get(dc::kMetaHomeDc); home && *home) {
    auto dc = parse_number(**home);
    if (!dc || *dc <= 0 || *dc > 1000) return damaged(st, dc::kMetaHomeDc);
    client->home_dc_ = static_cast<int>(*dc);
  }
  if (auto user = st.get(dc::kMetaUserId); user && *user) {
    auto id = parse_number(**user);
    if (!id) return damaged(st, dc::kMetaUserId);
    client->user_id_ = *id;
  }
  // Cached addresses: used even when expired until the next help.getConfig replaces them. They
  // replace the learned addresses only: an address given in the configuration stays pinned.
  if (auto cached = st.get(dc::kMetaDcOptions); cached && *cached) {
    if (auto dir = dc::DcDirectory::deserialize(**cached)) client->directory_.replace(dir->all());
  }
  return client;
}

Client::Client(asio::any_io_executor executor, ClientConfig config, std::shared_ptr<dc::AccountStore> store)
    : executor_(std::move(executor)), config_(std::move(config)), store_(std::move(store)) {
  wrap_first_request_ = init_connection_wrapper(config_);
  if (config_.test_server) {
    directory_ = dc::DcDirectory::single(config_.test_server->dc, config_.test_server->host, config_.test_server->port);
    home_dc_ = config_.test_server->dc;
  } else {
    directory_ = dc::DcDirectory::production();
  }
}

bool is_login_required(const Error& error) {
  if (error.code == 401) {
    return error.is("AUTH_KEY_UNREGISTERED") || error.is("SESSION_REVOKED") || error.is("SESSION_EXPIRED") ||
           error.is("USER_DEACTIVATED") || error.is("USER_DEACTIVATED_BAN") || error.is("AUTH_KEY_INVALID") ||
           error.is("AUTH_KEY_PERM_EMPTY");
  }
  return error.is("NOT_LOGGED_IN");
}

asio::awaitable<Status> Client::start() {
  auto expires = store_->get(dc::kMetaDcOptionsExpires);
  if (!expires) co_return std::move(expires).error();
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const auto expiry = *expires ? parse_number(**expires) : std::nullopt;
  const bool fresh = expiry && *expiry > now;
  if (fresh) co_return Status{};
  co_return co_await refresh_config();
}

asio::awaitable<Status> Client::refresh_config() {
  auto guard = co_await config_mutex_.lock();
  // Ask a DC we can reach: the home DC, or the bootstrap address when the home DC is not known yet.
  const int ask = directory_.knows(home_dc_) || directory_.all().empty() ? kHomeDc : directory_.all().front().dc;
  const api::help_getConfig get_config;
  auto config = co_await invoke_on(ask, get_config);
  if (!config) co_return std::move(config).error();
  const auto& c = config->get<api::config>();
  std::vector<dc::DcAddress> addresses;
  for (const auto& option : c.dc_options) {
    const auto& o = option.get<api::dcOption>();
    if (o.port <= 0 || o.port > 65535) continue;
    addresses.push_back(dc::DcAddress{o.id, o.ip_address, static_cast<std::uint16_t>(o.port), o.ipv6, o.media_only,
                                      o.cdn, o.tcpo_only, o.secret.value_or(Bytes{})});
  }
  directory_.replace(std::move(addresses));
  MTP_CO_TRY(store_->put(dc::kMetaDcOptions, directory_.serialize()));
  MTP_CO_TRY(store_->put(dc::kMetaDcOptionsExpires, std::to_string(c.expires)));
  co_return Status{};
}

asio::awaitable<Status> Client::ensure_address(int dc) {
  if (directory_.knows(dc)) co_return Status{};
  // Only the bootstrap address is known (a test server's first contact): ask for the rest.
  Status refreshed = co_await refresh_config();
  if (!refreshed) co_return refreshed;
  if (!directory_.knows(dc)) {
    co_return Error::local(kErrInvalidArgument, "DC_UNKNOWN", "the server lists no DC " + std::to_string(dc));
  }
  co_return Status{};
}

void Client::stop() {
  stopped_ = true;
  auto sessions = std::move(sessions_);
  sessions_.clear();
  std::map<int, std::int64_t> offsets;
  for (auto& [key, session] : sessions) {
    offsets[key.dc] = session->server_time_offset().count();
    session->stop();
  }
  // The next run starts with the clock the server taught us (no bad_msg_notification 16/17 again).
  for (const auto& [dc, offset] : offsets) {
    if (dc_state(dc).key) (void)store_->set_time_offset(dc, offset);
  }
}

std::int64_t Client::current_time_offset(int dc) {
  // A running session on the DC knows best (it was corrected by the server); else what was stored.
  for (auto& [key, session] : sessions_) {
    if (key.dc == dc) return session->server_time_offset().count();
  }
  return dc_state(dc).time_offset_ns;
}

Client::DcState& Client::dc_state(int dc) {
  auto& slot = dcs_[dc];
  if (!slot) slot = std::make_unique<DcState>();
  return *slot;
}

asio::awaitable<Result<std::shared_ptr<const Bytes>>> Client::auth_key_for(int dc) {
  DcState& st = dc_state(dc);
  if (st.key) co_return st.key;
  auto guard = co_await st.key_mutex.lock();
  if (st.key) co_return st.key;  // made while we waited

  auto stored = store_->load_key(dc);
  if (!stored) co_return std::move(stored).error();
  if (*stored) {
    st.key = std::make_shared<const Bytes>((*stored)->auth_key);
    st.salt = (*stored)->server_salt;
    st.time_offset_ns = (*stored)->time_offset_ns;
    st.authorized = (*stored)->authorized;
    ++st.auth_generation;
    co_return st.key;
  }

  MTP_CO_TRY(co_await ensure_address(dc));
  auto connected = co_await connector_for(dc, Purpose::kMain)();
  if (!connected) co_return std::move(connected).error();
  auth::ClientHandshakeOptions options;
  options.dc_id = dc;
  options.trusted_keys = trusted_keys_;
  auto created = co_await auth::create_auth_key(*connected, options, config_.handshake_timeout);
  connected->close();
  if (!created) {
    Error e = std::move(created).error();
    e.detail = "creating the auth key for DC " + std::to_string(dc) + ": " + e.detail;
    co_return e;
  }
  ++stats_.handshakes;
  dc::StoredKey key;
  key.dc = dc;
  key.auth_key = created->auth_key;
  key.server_salt = static_cast<std::int64_t>(created->server_salt);
  key.time_offset_ns = created->server_time_offset.count();
  // A fresh key carries no authorization yet (the home DC's gets it from the login).
  MTP_CO_TRY(store_->save_key(key));
  st.key = std::make_shared<const Bytes>(std::move(key.auth_key));
  st.salt = key.server_salt;
  st.time_offset_ns = key.time_offset_ns;
  st.time_from_handshake = true;
  st.authorized = false;
  ++st.auth_generation;
  co_return st.key;
}

void Client::forget_key(int dc) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->first.dc == dc) {
      it->second->stop();
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  DcState& st = dc_state(dc);
  st.key.reset();
  st.authorized = false;
  ++st.auth_generation;
  (void)store_->forget_key(dc);
}

Session::Connector Client::connector_for(int dc, Purpose purpose) {
  return [this, dc, purpose, self = weak_from_this()]() -> asio::awaitable<Result<transport::PacketStream>> {
    if (self.expired()) co_return Error::local(kErrCancelled, "CLIENT_STOPPED");
    auto address = directory_.pick(dc, purpose, config_.prefer_ipv6);
    if (!address) address = directory_.pick(dc, purpose, !config_.prefer_ipv6);
    if (!address) co_return Error::local(kErrInvalidArgument, "DC_UNKNOWN", "no address known for DC " + std::to_string(dc));
    transport::ConnectOptions options = config_.connect;
    options.host = address->host;
    options.port = address->port;
    options.dc_id = static_cast<std::int16_t>(address->media_only ? -dc : dc);
    auto connection = co_await transport::Connection::connect(executor_, std::move(options));
    if (!connection) co_return std::move(connection).error();
    co_return transport::PacketStream(std::move(*connection));
  };
}

asio::awaitable<Result<std::shared_ptr<Session>>> Client::session_for(int dc, Purpose purpose, int lane) {
  const LaneKey lane_key{dc, purpose, lane};
  if (auto it = sessions_.find(lane_key); it != sessions_.end()) co_return it->second;
  if (stopped_) co_return Error::local(kErrCancelled, "CLIENT_STOPPED", "the client was stopped");
  MTP_CO_TRY(co_await ensure_address(dc));
  auto key = co_await auth_key_for(dc);
  if (!key) co_return std::move(key).error();
  if (auto it = sessions_.find(lane_key); it != sessions_.end()) co_return it->second;  // made meanwhile

  const DcState& st = dc_state(dc);
  session::SessionDriverOptions options = config_.session;
  options.session.initial_salt = st.salt;
  options.session.server_time_offset = std::chrono::nanoseconds(current_time_offset(dc));
  options.session.server_time_known = st.time_from_handshake;
  options.session.wrap_first_request = wrap_first_request_;
  crypto::AuthKeySpan key_span((*key)->data(), 256);
  auto session = Session::create(executor_, key_span, std::move(options), connector_for(dc, purpose));
  session->start();
  sessions_[lane_key] = session;
  co_return session;
}

asio::awaitable<void> Client::pause(std::chrono::milliseconds duration) {
  asio::steady_timer timer(executor_, duration);
  std::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace mtp::client
