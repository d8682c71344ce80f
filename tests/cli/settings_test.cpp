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

TEST_CASE("precedence: flag, --env-file, environment, .env, config file, default") {
  // One setting per row of the table, each set in its own source and every weaker one.
  ScopedEnv a("TGGET_ACCOUNT", "environment"), b("TGGET_PROXY", "socks5://environment:1"),
      c("TGGET_TRANSPORT", nullptr), d("TGGET_SERVER_DC", nullptr), e("TGGET_IPV6", nullptr);
  Settings s;
  s.set_flag("TGGET_ACCOUNT", std::string("flag"));
  s.set_env_file({{"TGGET_ACCOUNT", "env-file"}, {"TGGET_PROXY", "socks5://env-file:1"}});
  s.set_dotenv({{"TGGET_ACCOUNT", "dotenv"}, {"TGGET_PROXY", "socks5://dotenv:1"}, {"TGGET_TRANSPORT", "dotenv"}});
  s.set_config_file({{"TGGET_ACCOUNT", "config"}, {"TGGET_PROXY", "socks5://config:1"}, {"TGGET_TRANSPORT", "config"},
                     {"TGGET_SERVER_DC", "config"}});
  using Source = Settings::Source;
  CHECK(s.get("TGGET_ACCOUNT") == "flag");
  CHECK(s.source_of("TGGET_ACCOUNT") == Source::kFlag);
  CHECK(s.get("TGGET_PROXY") == "socks5://env-file:1");
  CHECK(s.source_of("TGGET_PROXY") == Source::kEnvFile);
  CHECK(s.get("TGGET_TRANSPORT") == "dotenv");
  CHECK(s.source_of("TGGET_TRANSPORT") == Source::kDotEnv);
  CHECK(s.get("TGGET_SERVER_DC") == "config");
  CHECK(s.source_of("TGGET_SERVER_DC") == Source::kConfigFile);
  CHECK_FALSE(s.get("TGGET_IPV6"));
  CHECK_FALSE(s.source_of("TGGET_IPV6"));
  // The environment sits between the explicit file and the implicit ones.
  s.set_env_file({});
  CHECK(s.get("TGGET_PROXY") == "socks5://environment:1");
  CHECK(s.source_of("TGGET_PROXY") == Source::kEnvironment);
  ScopedEnv f("TGGET_PROXY", "");  // empty: unset, the next source speaks
  CHECK(s.get("TGGET_PROXY") == "socks5://dotenv:1");
  s.set_dotenv({{"TGGET_PROXY", ""}});
  CHECK(s.get("TGGET_PROXY") == "socks5://config:1");
}

TEST_CASE("implicit files: .env here and the XDG config file, found and read without being asked") {
  const fs::path dir = test_root() / "implicit";
  fs::create_directories(dir / "cwd");
  fs::create_directories(dir / "xdg" / "tgget");
  // A .env may belong to another tool: its foreign lines are skipped, not fatal.
  std::ofstream(dir / "cwd" / ".env") << "TGGET_ACCOUNT=from-dotenv\nOTHER_TOOL multi line value\n";
  std::ofstream(dir / "xdg" / "tgget" / "config") << "TGGET_ACCOUNT=from-config\nTGGET_TRANSPORT=abridged\n";
  ScopedEnv xdg("XDG_CONFIG_HOME", (dir / "xdg").c_str());
  ScopedEnv a("TGGET_ACCOUNT", nullptr), b("TGGET_TRANSPORT", nullptr);
  CHECK(Settings::config_file_path() == dir / "xdg" / "tgget" / "config");
  Settings s;
  REQUIRE(s.load_implicit_files(dir / "cwd").ok());
  CHECK(s.account() == "from-dotenv");
  CHECK(s.get("TGGET_TRANSPORT") == "abridged");
  // Nothing there: no error, nothing set.
  Settings empty;
  ScopedEnv none("XDG_CONFIG_HOME", (dir / "nothing").c_str());
  REQUIRE(empty.load_implicit_files(dir / "nothing").ok());
  CHECK(empty.account() == "default");
  // The config file is tgget's own: a bad line there is an error naming it.
  std::ofstream(dir / "xdg" / "tgget" / "config") << "not a setting\n";
  ScopedEnv back("XDG_CONFIG_HOME", (dir / "xdg").c_str());
  Settings bad;
  auto status = bad.load_implicit_files(dir / "nothing");
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().detail.find("config:1") != std::string::npos);
  // A relative XDG_CONFIG_HOME is invalid (XDG spec): ~/.config is used.
  ScopedEnv rel("XDG_CONFIG_HOME", "relative/dir"), home("HOME", "/home/someone");
  CHECK(Settings::config_file_path() == fs::path("/home/someone/.config/tgget/config"));
}

TEST_CASE("state directory: TGGET_HOME, else XDG_STATE_HOME, else ~/.local/state") {
  ScopedEnv a("TGGET_HOME", nullptr), b("XDG_STATE_HOME", "/xdg/state"), c("HOME", "/home/someone");
  Settings s;
  CHECK(s.home() == fs::path("/xdg/state/tgget"));
  ScopedEnv rel("XDG_STATE_HOME", "not/absolute");
  CHECK(s.home() == fs::path("/home/someone/.local/state/tgget"));
  s.set_config_file({{"TGGET_HOME", "/from/config"}});
  CHECK(s.home() == fs::path("/from/config"));
  s.set_flag("TGGET_HOME", std::string("/from/flag"));
  CHECK(s.home() == fs::path("/from/flag"));
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
  CHECK(exit_code_for(mtp::Error::rpc(420, "FLOOD_WAIT_300")) == kExitTemporary);
  CHECK(exit_code_for(mtp::Error::rpc(400, "PHONE_CODE_INVALID")) == kExitUsage);
  CHECK(exit_code_for(mtp::Error::rpc(500, "INTERNAL")) == kExitTemporary);
  CHECK(exit_code_for(mtp::Error::local(mtp::kErrNetwork, "CONNECT_FAILED")) == kExitTemporary);
  CHECK(exit_code_for(mtp::Error::local(mtp::kErrSecurity, "DH_PRIME_INVALID")) == kExitSecurity);
  CHECK(exit_code_for(mtp::Error::local(mtp::kErrIo, "ACCOUNT_DB")) == kExitLocalIo);
}
