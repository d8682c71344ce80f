#include "api_state.hpp"

#include <algorithm>
#include <chrono>

#include "api_call.hpp"
#include "crypto/dh.hpp"
#include "crypto/random.hpp"
#include "crypto/sha.hpp"

namespace testdc {
namespace {

// Deterministic per-account salt: the same world serves the same SRP parameters after a restart.
mtp::Bytes derive_salt(std::uint64_t seed, std::int64_t user_id, std::string_view label, std::size_t size) {
  mtp::Bytes material;
  for (int i = 0; i < 8; ++i) material.push_back(static_cast<std::uint8_t>(seed >> (8 * i)));
  for (int i = 0; i < 8; ++i) material.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(user_id) >> (8 * i)));
  material.insert(material.end(), label.begin(), label.end());
  mtp::Bytes out;
  for (std::uint8_t counter = 0; out.size() < size; ++counter) {
    material.push_back(counter);
    auto d = mtp::crypto::sha256(material);
    material.pop_back();
    out.insert(out.end(), d.begin(), d.end());
  }
  out.resize(size);
  return out;
}

}  // namespace

std::unique_ptr<ApiState> make_api_state(const World& world) { return std::make_unique<ApiState>(world); }
void destroy_api_state(ApiState* state) { delete state; }

ApiState::ApiState(const World& world)
    : world_(world), refs_(world.conditions.seed), hostile_files_(world.conditions.hostile_files) {}

std::int64_t ApiState::now_ms() const {
  std::function<std::int64_t()> clock;
  {
    std::lock_guard lock(mu_);
    clock = clock_;
  }
  if (clock) return clock();
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  return ms + static_cast<std::int64_t>(world_.conditions.clock_offset_s) * 1000;
}

void ApiState::set_clock(std::function<std::int64_t()> unix_ms) {
  std::lock_guard lock(mu_);
  clock_ = std::move(unix_ms);
}

std::optional<std::int64_t> ApiState::user_of(const ApiCall& call) const {
  std::lock_guard lock(mu_);
  if (call.key->dc != call.dc) return std::nullopt;
  return call.key->user_id;
}

std::optional<std::int64_t> ApiState::user_of_key(const AuthKeyInfo& key) const {
  std::lock_guard lock(mu_);
  return key.user_id;
}

void ApiState::bind(AuthKeyInfo& key, std::int64_t user_id) {
  std::lock_guard lock(mu_);
  key.user_id = user_id;
  password_pending_.erase(key.id);
}

void ApiState::unbind(AuthKeyInfo& key) {
  std::lock_guard lock(mu_);
  key.user_id.reset();
  password_pending_.erase(key.id);
}

std::string ApiState::remember_code(const std::string& phone) {
  std::string hash = mtp::to_hex(random_bytes(9));
  const std::int64_t now = now_ms();
  std::lock_guard lock(mu_);
  std::erase_if(codes_, [now](const auto& entry) { return now - entry.second.sent_ms >= kCodeLifetimeMs; });
  codes_[hash] = SentCode{phone, now};
  return hash;
}

ApiState::CodeCheck ApiState::check_code_hash(const std::string& hash, const std::string& phone) const {
  const std::int64_t now = now_ms();
  std::lock_guard lock(mu_);
  auto it = codes_.find(hash);
  if (it == codes_.end() || it->second.phone != phone) return CodeCheck::kExpired;
  return now - it->second.sent_ms >= kCodeLifetimeMs ? CodeCheck::kExpired : CodeCheck::kOk;
}

void ApiState::consume_code_hash(const std::string& hash) {
  std::lock_guard lock(mu_);
  codes_.erase(hash);
}

void ApiState::set_password_pending(std::uint64_t key_id, std::int64_t user_id) {
  std::lock_guard lock(mu_);
  password_pending_[key_id] = user_id;
}

std::optional<std::int64_t> ApiState::password_pending(std::uint64_t key_id) const {
  std::lock_guard lock(mu_);
  auto it = password_pending_.find(key_id);
  if (it == password_pending_.end()) return std::nullopt;
  return it->second;
}

mtp::crypto::SrpParams ApiState::srp_params(const Account& account) const {
  mtp::crypto::SrpParams params;
  params.salt1 = derive_salt(world_.conditions.seed, account.user_id, "salt1", 40);
  params.salt2 = derive_salt(world_.conditions.seed, account.user_id, "salt2", 16);
  auto group = mtp::crypto::DhGroup::standard();
  params.g = group.g();
  params.p = group.prime_bytes();
  return params;
}

mtp::Result<mtp::Bytes> ApiState::srp_verifier(const Account& account) {
  {
    std::lock_guard lock(mu_);
    if (auto it = verifiers_.find(account.user_id); it != verifiers_.end()) return it->second;
  }
  // Computed outside the lock: PBKDF2 with 100000 iterations takes a noticeable moment.
  auto v = mtp::crypto::srp_verifier(srp_params(account), account.password.value_or(""));
  if (!v) return std::move(v).error();
  std::lock_guard lock(mu_);
  verifiers_[account.user_id] = *v;
  return *v;
}

mtp::Result<std::pair<std::int64_t, mtp::Bytes>> ApiState::start_srp(const Account& account, std::uint64_t key_id) {
  auto verifier = srp_verifier(account);
  if (!verifier) return std::move(verifier).error();
  auto session = mtp::crypto::SrpServerSession::start(srp_params(account), *verifier, mtp::crypto::system_random());
  if (!session) return std::move(session).error();
  auto shared = std::make_shared<mtp::crypto::SrpServerSession>(std::move(*session));
  mtp::Bytes id_bytes = random_bytes(8);
  std::int64_t srp_id = 0;
  for (auto b : id_bytes) srp_id = (srp_id << 8) | b;
  std::lock_guard lock(mu_);
  // One open check per key: a newer account.getPassword replaces the older srp_id (bounded memory).
  std::erase_if(srp_sessions_, [key_id](const auto& entry) { return entry.second.key_id == key_id; });
  srp_sessions_[srp_id] = SrpPending{account.user_id, key_id, shared};
  return std::pair{srp_id, shared->b_public()};
}

std::optional<ApiState::SrpPending> ApiState::take_srp(std::int64_t srp_id) {
  std::lock_guard lock(mu_);
  auto it = srp_sessions_.find(srp_id);
  if (it == srp_sessions_.end()) return std::nullopt;
  SrpPending pending = std::move(it->second);
  srp_sessions_.erase(it);
  return pending;
}

mtp::Bytes ApiState::export_authorization(std::int64_t user_id, int dc) {
  mtp::Bytes bytes = random_bytes(64);
  const std::int64_t now = now_ms();
  std::lock_guard lock(mu_);
  exports_[{user_id, dc}] = Export{bytes, now};  // supersedes any earlier export
  return bytes;
}

bool ApiState::import_authorization(std::int64_t user_id, int dc, mtp::ByteSpan bytes) {
  const std::int64_t now = now_ms();
  std::lock_guard lock(mu_);
  auto it = exports_.find({user_id, dc});
  if (it == exports_.end()) return false;
  const Export& e = it->second;
  if (!std::equal(e.bytes.begin(), e.bytes.end(), bytes.begin(), bytes.end())) return false;
  const bool fresh = now - e.issued_ms < kExportLifetimeMs;
  exports_.erase(it);  // single use
  return fresh;
}

mtp::Bytes ApiState::random_bytes(std::size_t n) const {
  mtp::Bytes out(n);
  mtp::crypto::random_bytes(out);
  return out;
}

}  // namespace testdc
