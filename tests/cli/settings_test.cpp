// tgget's settings: env files as people write them, flags > --env-file > environment, test-server
// and proxy settings parsed into the client configuration, and clear errors for bad values.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "exit_codes.hpp"
#include "settings.hpp"

namespace fs = std::filesystem;
using tgget::Settings;

namespace {

// One directory per test process, removed when the process ends.
const fs::path& test_root() {
  struct Root {
    fs::path path = fs::temp_directory_path() / ("tgget-settings-" + std::to_string(::getpid()));
    ~Root() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const Root root;
  return root.path;
}

fs::path write_file(const std::string& name, const std::string& text) {
  const auto dir = test_root();
  fs::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}

// Sets an environment variable for one test and restores it after.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(std::string n, const char* value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) old = v;
    if (value) ::setenv(name.c_str(), value, 1);
    else ::unsetenv(name.c_str());
  }
  ~ScopedEnv() {
    if (old) ::setenv(name.c_str(), old->c_str(), 1);
    else ::unsetenv(name.c_str());
  }
};

}  // namespace

TEST_CASE("env files: comments, export, quotes, blanks, malformed lines name the line") {
  auto values = Settings::read_env_file(write_file("ok.env",
                                                   "# comment\n\nexport TGGET_API_ID=123\nTGGET_API_HASH=\"abc def\"\n"
                                                   "TGGET_PROXY='socks5://u:p@h:1080'\n  TGGET_HOME = /x  \n"));
  REQUIRE(values.ok());
  CHECK(values->at("TGGET_API_ID") == "123");
  CHECK(values->at("TGGET_API_HASH") == "abc def");
  CHECK(values->at("TGGET_PROXY") == "socks5://u:p@h:1080");
  CHECK(values->at("TGGET_HOME") == "/x");
  auto bad = Settings::read_env_file(write_file("bad.env", "A=1\nnot a setting\n"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().detail.find("bad.env:2") != std::string::npos);
  CHECK_FALSE(Settings::read_env_file("/nonexistent/tgget.env").ok());
}

TEST_CASE("a flag beats the env file, which beats the environment, empty values count as unset") {
  ScopedEnv env("TGGET_ACCOUNT", "from-environment");
  ScopedEnv home("TGGET_HOME", "/from/environment");
  Settings s;
  CHECK(s.account() == "from-environment");
  s.set_env_file({{"TGGET_ACCOUNT", "from-file"}, {"TGGET_HOME", ""}});
  CHECK(s.account() == "from-file");
  CHECK(s.home() == "/from/environment");  // empty in the file: not set there
  s.set_flag("TGGET_ACCOUNT", std::string("from-flag"));
  CHECK(s.account() == "from-flag");
  CHECK(s.account_db() == fs::path("/from/environment/accounts/from-flag.sqlite"));
}

TEST_CASE("production needs api_id and api_hash, a test server needs its key") {
  ScopedEnv a("TGGET_API_ID", nullptr), b("TGGET_API_HASH", nullptr), c("TGGET_SERVER", nullptr),
      d("TGGET_SERVER_KEY", nullptr), e("TGGET_PROXY", nullptr), f("TGGET_SERVER_DC", nullptr);
  Settings s;
  auto missing = s.client_config();
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().type == "API_ID_REQUIRED");
  CHECK(tgget::exit_code_for(missing.error()) == tgget::kExitUsage);

  s.set_flag("TGGET_SERVER", std::string("127.0.0.1:4430"));
  auto no_key = s.client_config();
  REQUIRE_FALSE(no_key.ok());
  CHECK(no_key.error().detail.find("TGGET_SERVER_KEY") != std::string::npos);

  s.set_flag("TGGET_SERVER_KEY", write_file("key.pem", "-----BEGIN RSA PUBLIC KEY-----\n...").string());
  s.set_flag("TGGET_SERVER_DC", std::string("4"));
  auto test = s.client_config();
  REQUIRE(test.ok());
  REQUIRE(test->test_server);
  CHECK(test->test_server->host == "127.0.0.1");
  CHECK(test->test_server->port == 4430);
  CHECK(test->test_server->dc == 4);

  s.set_flag("TGGET_SERVER", std::string("[::1]:443"));
  CHECK(s.client_config()->test_server->host == "::1");
  for (const char* bad : {"127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", ":443", "host:port"}) {
    s.set_flag("TGGET_SERVER", std::string(bad));
    auto r = s.client_config();
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().type == "BAD_SETTING");
  }
}

TEST_CASE("proxy URLs") {
  auto socks = tgget::parse_proxy("socks5://user:secret@10.0.0.1:1080");
  REQUIRE(socks.ok());
  CHECK(socks->type == mtp::transport::ProxyConfig::Type::kSocks5);
  CHECK(socks->host == "10.0.0.1");
  CHECK(socks->port == 1080);
  CHECK(socks->username == "user");
  CHECK(socks->password == "secret");
  auto http = tgget::parse_proxy("http://proxy.example:3128/");
  REQUIRE(http.ok());
  CHECK(http->type == mtp::transport::ProxyConfig::Type::kHttpConnect);
  CHECK(http->username.empty());
  CHECK_FALSE(tgget::parse_proxy("ftp://h:1").ok());
  CHECK_FALSE(tgget::parse_proxy("socks5://h").ok());
  CHECK_FALSE(tgget::parse_proxy("h:1080").ok());
}

TEST_CASE("exit codes by error kind") {
  using namespace tgget;
  CHECK(exit_code_for(mtp::Error::rpc(401, "AUTH_KEY_UNREGISTERED")) == kExitLoginRequired);
  CHECK(exit_code_for(mtp::Error::local(mtp::kErrInvalidArgument, "NOT_LOGGED_IN")) == kExitLoginRequired);
  CHECK(exit_code_for(mtp::Error::rpc(420, "FLOOD_WAIT_300")) == kExitRateLimited);
  CHECK(exit_code_for(mtp::Error::rpc(400, "PHONE_CODE_INVALID")) == kExitRejected);
  CHECK(exit_code_for(mtp::Error::local(mtp::kErrNetwork, "CONNECT_FAILED")) == kExitNetwork);
  CHECK(exit_code_for(mtp::Error::local(mtp::kErrSecurity, "DH_PRIME_INVALID")) == kExitSecurity);
  CHECK(exit_code_for(mtp::Error::local(mtp::kErrIo, "ACCOUNT_DB")) == kExitLocalIo);
}
