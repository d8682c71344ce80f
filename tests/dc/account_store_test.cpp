// AccountStore: a private file (0600 even under a permissive umask, tightened when found loose),
// keys and values round-trip, authorization flags, wipe, and a damaged key refused.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "dc/account_store.hpp"

namespace fs = std::filesystem;
using mtp::dc::AccountStore;
using mtp::dc::StoredKey;

namespace {

// One directory per test process, removed when the process ends.
const fs::path& test_root() {
  struct Root {
    fs::path path = fs::temp_directory_path() / ("tgget-store-" + std::to_string(::getpid()));
    ~Root() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const Root root;
  return root.path;
}

fs::path fresh_path(const std::string& name) {
  const auto dir = test_root();
  fs::create_directories(dir);
  const auto path = dir / name / "accounts" / "default.sqlite";
  fs::remove_all(path.parent_path());
  return path;
}

unsigned mode_of(const fs::path& p) {
  struct stat st{};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

StoredKey key_for(int dc, std::uint8_t fill) {
  StoredKey k;
  k.dc = dc;
  k.auth_key.assign(256, fill);
  k.server_salt = 0x1122334455667788;
  k.time_offset_ns = -40'000'000'000;
  return k;
}

}  // namespace

TEST_CASE("the database file is created 0600 whatever the umask, and tightened when loose") {
  const auto path = fresh_path("mode");
  const mode_t old = ::umask(0);
  auto store = AccountStore::open(path);
  ::umask(old);
  REQUIRE(store.ok());
  CHECK(mode_of(path) == 0600);
  CHECK(mode_of(path.parent_path()) == 0700);  // the accounts directory it made
  store->reset();
  ::chmod(path.c_str(), 0644);
  auto again = AccountStore::open(path);
  REQUIRE(again.ok());
  CHECK(mode_of(path) == 0600);
}

TEST_CASE("keys, flags and values round-trip, wipe forgets everything") {
  const auto path = fresh_path("roundtrip");
  {
    auto store = AccountStore::open(path);
    REQUIRE(store.ok());
    REQUIRE((*store)->save_key(key_for(2, 0xaa)).ok());
    REQUIRE((*store)->save_key(key_for(4, 0xbb)).ok());
    REQUIRE((*store)->set_authorized(4, true).ok());
    REQUIRE((*store)->set_time_offset(2, 123).ok());
    REQUIRE((*store)->put("home_dc", "4").ok());
  }
  auto store = AccountStore::open(path);  // a new process
  REQUIRE(store.ok());
  auto k2 = (*store)->load_key(2);
  REQUIRE(k2.ok());
  REQUIRE(k2->has_value());
  CHECK((*k2)->auth_key == mtp::Bytes(256, 0xaa));
  CHECK((*k2)->server_salt == 0x1122334455667788);
  CHECK((*k2)->time_offset_ns == 123);
  CHECK_FALSE((*k2)->authorized);
  auto k4 = (*store)->load_key(4);
  REQUIRE(k4.ok());
  CHECK((*k4)->authorized);
  CHECK((*(*store)->get("home_dc")) == std::optional<std::string>("4"));
  CHECK_FALSE((*(*store)->load_key(1)).has_value());

  REQUIRE((*store)->clear_authorizations().ok());
  CHECK_FALSE((*(*store)->load_key(4))->authorized);
  REQUIRE((*store)->forget_key(4).ok());
  CHECK_FALSE((*(*store)->load_key(4)).has_value());
  REQUIRE((*store)->wipe().ok());
  CHECK_FALSE((*(*store)->load_key(2)).has_value());
  CHECK_FALSE((*(*store)->get("home_dc")).has_value());
}

TEST_CASE("a key of the wrong length is reported as a damaged database, not used") {
  const auto path = fresh_path("damaged");
  {
    auto store = AccountStore::open(path);
    REQUIRE(store.ok());
    REQUIRE((*store)->save_key(key_for(2, 1)).ok());
  }
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE dc_keys SET auth_key = x'0102' WHERE dc = 2");
  }
  auto store = AccountStore::open(path);
  REQUIRE(store.ok());
  auto key = (*store)->load_key(2);
  REQUIRE_FALSE(key.ok());
  CHECK(key.error().type == "ACCOUNT_DB_CORRUPT");
}

TEST_CASE("a path that cannot be created is a clear I/O error") {
  auto store = AccountStore::open("/proc/tgget-cannot-be-here/accounts/default.sqlite");
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == mtp::kErrIo);
}
