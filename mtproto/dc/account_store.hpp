#pragma once
// One account's durable protocol state in SQLite: the auth key of every DC it talked to (with the
// salt and clock offset learnt), whether that key carries the account's authorization, and small
// named values (home DC, user id, server identity, cached dc_options). The file and its directory
// are private to the user (0600 / 0700): an auth key is as good as a logged-in session.
// Every call is synchronous and short; SQLite's WAL lets two tgget processes share an account.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace SQLite {
class Database;
}

namespace mtp::dc {

struct StoredKey {
  int dc = 0;
  Bytes auth_key;                   // 256 bytes
  std::int64_t server_salt = 0;
  std::int64_t time_offset_ns = 0;  // server clock minus ours, as learnt last
  bool authorized = false;          // the account is logged in (or imported) on this key
};

class AccountStore {
 public:
  // Opens or creates the database; errors are kErrIo with the path and SQLite's reason.
  static Result<std::shared_ptr<AccountStore>> open(const std::filesystem::path& path);
  ~AccountStore();

  const std::filesystem::path& path() const { return path_; }

  Result<std::optional<StoredKey>> load_key(int dc);
  Status save_key(const StoredKey& key);
  Status set_authorized(int dc, bool authorized);
  Status set_time_offset(int dc, std::int64_t time_offset_ns);
  // Marks every key unauthorized (the login is gone) but keeps the keys.
  Status clear_authorizations();
  Status forget_key(int dc);

  Result<std::optional<std::string>> get(const std::string& name);
  Status put(const std::string& name, const std::string& value);
  Status erase(const std::string& name);

  // Removes every key and value (logout).
  Status wipe();

 private:
  AccountStore(std::filesystem::path path, std::unique_ptr<SQLite::Database> db);
  std::filesystem::path path_;
  std::unique_ptr<SQLite::Database> db_;
};

// Names of the values the client keeps.
inline constexpr const char* kMetaHomeDc = "home_dc";
inline constexpr const char* kMetaUserId = "user_id";
inline constexpr const char* kMetaServer = "server";          // which network the keys belong to
inline constexpr const char* kMetaDcOptions = "dc_options";    // DcDirectory::serialize()
inline constexpr const char* kMetaDcOptionsExpires = "dc_options_expires";  // unix seconds

}  // namespace mtp::dc
