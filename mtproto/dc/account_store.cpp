#include "dc/account_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

namespace mtp::dc {
namespace {

Error db_error(const std::filesystem::path& path, const std::exception& e) {
  return Error::local(kErrIo, "ACCOUNT_DB", path.string() + ": " + e.what());
}

// Creates the file 0600 before SQLite does (SQLite would use the umask), and tightens a file that
// exists with looser bits.
Status create_private_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path() && !std::filesystem::exists(path.parent_path(), ec)) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return Error::local(kErrIo, "ACCOUNT_DIR", path.parent_path().string() + ": " + ec.message());
    // The directory we made holds nothing but account databases: private too. (A directory that
    // already existed is the user's; its mode is left alone.)
    std::filesystem::permissions(path.parent_path(), std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Error::local(kErrIo, "ACCOUNT_DB", path.string() + ": cannot create");
  const int rc = ::fchmod(fd, 0600);
  ::close(fd);
  if (rc != 0) return Error::local(kErrIo, "ACCOUNT_DB", path.string() + ": cannot chmod 0600");
  return {};
}

}  // namespace

AccountStore::AccountStore(std::filesystem::path path, std::unique_ptr<SQLite::Database> db)
    : path_(std::move(path)), db_(std::move(db)) {}

AccountStore::~AccountStore() = default;

Result<std::shared_ptr<AccountStore>> AccountStore::open(const std::filesystem::path& path) {
  MTP_TRY(create_private_file(path));
  try {
    auto db = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->setBusyTimeout(5000);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec(
        "CREATE TABLE IF NOT EXISTS dc_keys(dc INTEGER PRIMARY KEY, auth_key BLOB NOT NULL,"
        " server_salt INTEGER NOT NULL DEFAULT 0, time_offset_ns INTEGER NOT NULL DEFAULT 0,"
        " authorized INTEGER NOT NULL DEFAULT 0)");
    db->exec("CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL)");
    return std::shared_ptr<AccountStore>(new AccountStore(path, std::move(db)));
  } catch (const std::exception& e) {
    return db_error(path, e);
  }
}

Result<std::optional<StoredKey>> AccountStore::load_key(int dc) {
  try {
    SQLite::Statement q(*db_, "SELECT auth_key, server_salt, time_offset_ns, authorized FROM dc_keys WHERE dc = ?");
    q.bind(1, dc);
    if (!q.executeStep()) return std::optional<StoredKey>{};
    StoredKey key;
    key.dc = dc;
    const auto blob = q.getColumn(0);
    const auto* data = static_cast<const std::uint8_t*>(blob.getBlob());
    key.auth_key.assign(data, data + blob.getBytes());
    key.server_salt = q.getColumn(1).getInt64();
    key.time_offset_ns = q.getColumn(2).getInt64();
    key.authorized = q.getColumn(3).getInt() != 0;
    if (key.auth_key.size() != 256) {
      return Error::local(kErrIo, "ACCOUNT_DB_CORRUPT", path_.string() + ": auth key of DC " + std::to_string(dc));
    }
    return std::optional<StoredKey>(std::move(key));
  } catch (const std::exception& e) {
    return db_error(path_, e);
  }
}

Status AccountStore::save_key(const StoredKey& key) {
  try {
    SQLite::Statement q(*db_,
                        "INSERT OR REPLACE INTO dc_keys(dc, auth_key, server_salt, time_offset_ns, authorized)"
                        " VALUES(?, ?, ?, ?, ?)");
    q.bind(1, key.dc);
    q.bind(2, key.auth_key.data(), static_cast<int>(key.auth_key.size()));
    q.bind(3, key.server_salt);
    q.bind(4, key.time_offset_ns);
    q.bind(5, key.authorized ? 1 : 0);
    q.exec();
    return {};
  } catch (const std::exception& e) {
    return db_error(path_, e);
  }
}

Status AccountStore::set_authorized(int dc, bool authorized) {
  try {
    SQLite::Statement q(*db_, "UPDATE dc_keys SET authorized = ? WHERE dc = ?");
    q.bind(1, authorized ? 1 : 0);
    q.bind(2, dc);
    q.exec();
    return {};
  } catch (const std::exception& e) {
    return db_error(path_, e);
  }
}

Status AccountStore::set_time_offset(int dc, std::int64_t time_offset_ns) {
  try {
    SQLite::Statement q(*db_, "UPDATE dc_keys SET time_offset_ns = ? WHERE dc = ?");
    q.bind(1, time_offset_ns);
    q.bind(2, dc);
    q.exec();
    return {};
  } catch (const std::exception& e) {
    return db_error(path_, e);
  }
}

Status AccountStore::clear_authorizations() {
  try {
    db_->exec("UPDATE dc_keys SET authorized = 0");
    return {};
  } catch (const std::exception& e) {
    return db_error(path_, e);
  }
}

Status AccountStore::forget_key(int dc) {
  try {
    SQLite::Statement q(*db_, "DELETE FROM dc_keys WHERE dc = ?");
    q.bind(1, dc);
    q.exec();
    return {};
  } catch (const std::exception& e) {
    return db_error(path_, e);
  }
}

Result<std::optional<std::string>> AccountStore::get(const std::string& name) {
  try {
    SQLite::Statement q(*db_, "SELECT value FROM meta WHERE name = ?");
    q.bind(1, name);
    if (!q.executeStep()) return std::optional<std::string>{};
    return std::optional<std::string>(q.getColumn(0).getString());
  } catch (const std::exception& e) {
    return db_error(path_, e);
  }
}

Status AccountStore::put(const std::string& name, const std::string& value) {
  try {
    SQLite::Statement q(*db_, "INSERT OR REPLACE INTO meta(name, value) VALUES(?, ?)");
    q.bind(1, name);
    q.bind(2, value);
    q.exec();
    return {};
  } catch (const std::exception& e) {
    return db_error(path_, e);
  }
}

Status AccountStore::erase(const std::string& name) {
  try {
    SQLite::Statement q(*db_, "DELETE FROM meta WHERE name = ?");
    q.bind(1, name);
    q.exec();
    return {};
  } catch (const std::exception& e) {
    return db_error(path_, e);
  }
}

Status AccountStore::wipe() {
  try {
    SQLite::Transaction t(*db_);
    db_->exec("DELETE FROM dc_keys");
    db_->exec("DELETE FROM meta");
    t.commit();
    return {};
  } catch (const std::exception& e) {
    return db_error(path_, e);
  }
}

}  // namespace mtp::dc
