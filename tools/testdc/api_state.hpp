#pragma once
// Mutable state of the test DC's API handlers: the logins bound to auth keys, login codes sent,
// 2FA (SRP) sessions, exported authorizations, and the file side (api_files.hpp). One mutex guards
// everything here; handlers hold it only for map look-ups, never across I/O or SRP math.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "api_files.hpp"
#include "auth_keys.hpp"
#include "core/bytes.hpp"
#include "crypto/srp.hpp"
#include "hostile_files.hpp"
#include "world.hpp"

namespace testdc {

struct ApiCall;

class ApiState {
 public:
  explicit ApiState(const World& world);
  ApiState(const ApiState&) = delete;
  ApiState& operator=(const ApiState&) = delete;

  const World& world() const { return world_; }
  FileStore& files() { return files_; }
  DownloadTracker& downloads() { return downloads_; }
  DownloadRate& download_rate() { return download_rate_; }
  CorruptionCount& corruptions() { return corruptions_; }
  HostileFiles& hostile_files() { return hostile_files_; }
  const FileReferences& file_references() const { return refs_; }

  // The server's wall clock in milliseconds since the epoch, including conditions.clock_offset_s.
  // Tests replace it to make time pass without sleeping.
  std::int64_t now_ms() const;
  std::int32_t now_s() const { return static_cast<std::int32_t>(now_ms() / 1000); }
  void set_clock(std::function<std::int64_t()> unix_ms);

  // --- logins (per auth key; a key is authorized only on the DC it was created on) ---
  // The user logged in on the call's key, if the key belongs to the call's DC.
  std::optional<std::int64_t> user_of(const ApiCall& call) const;
  // The user bound to a key (whatever DC asks): how the core should read AuthKeyInfo::user_id,
  // which the handlers write under this state's lock (for the RPC log, per-account bandwidth).
  std::optional<std::int64_t> user_of_key(const AuthKeyInfo& key) const;
  void bind(AuthKeyInfo& key, std::int64_t user_id);
  void unbind(AuthKeyInfo& key);

  // --- auth.sendCode / auth.signIn ---
  std::string remember_code(const std::string& phone);
  enum class CodeCheck { kOk, kExpired };
  // Checks that `hash` was sent for `phone` and is still fresh; kOk consumes nothing.
  CodeCheck check_code_hash(const std::string& hash, const std::string& phone) const;
  void consume_code_hash(const std::string& hash);
  static constexpr std::int64_t kCodeLifetimeMs = 5 * 60 * 1000;

  // --- 2FA: a key that passed the code step of an account with a password ---
  void set_password_pending(std::uint64_t key_id, std::int64_t user_id);
  std::optional<std::int64_t> password_pending(std::uint64_t key_id) const;

  // SRP parameters of an account (salts derived from the world's seed) and its verifier.
  mtp::crypto::SrpParams srp_params(const Account& account) const;
  mtp::Result<mtp::Bytes> srp_verifier(const Account& account);  // cached (PBKDF2 is slow)
  // A new SRP check (account.getPassword): its id and B.
  mtp::Result<std::pair<std::int64_t, mtp::Bytes>> start_srp(const Account& account, std::uint64_t key_id);
  struct SrpPending {
    std::int64_t user_id = 0;
    std::uint64_t key_id = 0;
    std::shared_ptr<mtp::crypto::SrpServerSession> session;
  };
  // Removes and returns the session: every srp_id is good for one check.
  std::optional<SrpPending> take_srp(std::int64_t srp_id);

  // --- auth.exportAuthorization / auth.importAuthorization ---
  // A newer export for the same user and DC supersedes the older bytes.
  mtp::Bytes export_authorization(std::int64_t user_id, int dc);
  // True (and the bytes are used up) when they are the latest export of `user_id` for `dc`.
  bool import_authorization(std::int64_t user_id, int dc, mtp::ByteSpan bytes);
  static constexpr std::int64_t kExportLifetimeMs = 5 * 60 * 1000;

  mtp::Bytes random_bytes(std::size_t n) const;

 private:
  const World& world_;
  FileStore files_;
  FileReferences refs_;
  DownloadTracker downloads_;
  DownloadRate download_rate_;
  CorruptionCount corruptions_;
  HostileFiles hostile_files_;
  mutable std::mutex mu_;
  std::function<std::int64_t()> clock_;

  struct SentCode {
    std::string phone;
    std::int64_t sent_ms = 0;
  };
  std::map<std::string, SentCode> codes_;
  std::map<std::uint64_t, std::int64_t> password_pending_;
  std::map<std::int64_t, mtp::Bytes> verifiers_;
  std::map<std::int64_t, SrpPending> srp_sessions_;
  struct Export {
    mtp::Bytes bytes;
    std::int64_t issued_ms = 0;
  };
  std::map<std::pair<std::int64_t, int>, Export> exports_;
};

}  // namespace testdc
