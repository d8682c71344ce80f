#include "server_core.hpp"

#include "layer_bridge.hpp"

#include "crypto/random.hpp"

namespace testdc {

namespace {
std::uint64_t random_u64() {
  std::uint64_t v = 0;
  mtp::crypto::random_bytes(mtp::MutableByteSpan(reinterpret_cast<std::uint8_t*>(&v), sizeof v));
  return v;
}
}  // namespace

ServerCore::ServerCore(ServerState& state, mtp::crypto::RsaPrivateKey rsa_key, ApiHandler handler,
                       CoreOptions options)
    : state_(state),
      rsa_key_(std::move(rsa_key)),
      handler_(std::move(handler)),
      options_(options),
      salts_(random_u64()),
      conditions_(state.world().conditions) {
  const auto offset = std::chrono::nanoseconds(conditions_.clock_offset_ns());
  auto host = mtp::session::system_wall_clock();
  clock_ = [host, offset] { return host() + offset; };
  // The layer schemas are read before the first client is served, not while it waits.
  (void)layer_transcoder();
}

std::int64_t ServerCore::steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::shared_ptr<ServerSession> ServerCore::find_session(std::uint64_t key_id, std::int64_t session_id) const {
  auto it = sessions_.find({key_id, session_id});
  return it == sessions_.end() ? nullptr : it->second;
}

std::shared_ptr<ServerSession> ServerCore::create_session(std::uint64_t key_id, std::int64_t session_id) {
  auto session = std::make_shared<ServerSession>(key_id, session_id, clock_, options_.session_limits);
  sessions_[{key_id, session_id}] = session;
  return session;
}

bool ServerCore::destroy_session(std::uint64_t key_id, std::int64_t session_id) {
  return sessions_.erase({key_id, session_id}) != 0;
}

bool ServerCore::add_key(const AuthKeyInfo& info, std::int64_t initial_salt) {
  if (!state_.keys().insert(info)) return false;
  salts_.add_initial(info.id, initial_salt, now_s());
  return true;
}

}  // namespace testdc
