#include "settings.hpp"

#include <pwd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tgget {
namespace {

mtp::Error bad_setting(const std::string& name, const std::string& why) {
  return mtp::Error::local(mtp::kErrInvalidArgument, "BAD_SETTING", name + ": " + why);
}

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  const auto end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

std::optional<int> parse_int(const std::string& s, long min, long max) {
  if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const long v = std::stol(s);
  if (v < min || v > max) return std::nullopt;
  return static_cast<int>(v);
}

// "host:port" or "[v6]:port".
bool split_host_port(const std::string& s, std::string& host, std::uint16_t& port) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = s.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto p = parse_int(s.substr(colon + 1), 1, 65535);
  if (!p || host.empty()) return false;
  port = static_cast<std::uint16_t>(*p);
  return true;
}

// An environment variable naming a directory: set, non-empty and absolute (XDG: relative ones are
// invalid and ignored).
std::optional<std::filesystem::path> xdg_dir(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v || v[0] != '/') return std::nullopt;
  return std::filesystem::path(v);
}

// $HOME, or the password database's entry when HOME is unset (cron jobs, systemd units).
std::optional<std::filesystem::path> user_home() {
  if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home);
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir && *pw->pw_dir) return std::filesystem::path(pw->pw_dir);
  return std::nullopt;
}

}  // namespace

const char* source_name(Settings::Source source) {
  switch (source) {
    case Settings::Source::kFlag: return "the command line";
    case Settings::Source::kEnvFile: return "--env-file";
    case Settings::Source::kEnvironment: return "the environment";
    case Settings::Source::kDotEnv: return ".env";
    case Settings::Source::kConfigFile: return "the config file";
  }
  return "?";
}

mtp::Result<Settings::Values> Settings::read_env_file(const std::filesystem::path& path, bool lenient) {
  std::ifstream in(path);
  if (!in) return mtp::Error::local(mtp::kErrInvalidArgument, "ENV_FILE", path.string() + ": cannot read");
  std::map<std::string, std::string> values;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      if (lenient) continue;
      return mtp::Error::local(mtp::kErrInvalidArgument, "ENV_FILE",
                               path.string() + ":" + std::to_string(number) + ": expected NAME=VALUE");
    }
    std::string value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    values[trim(line.substr(0, eq))] = value;
  }
  return values;
}

void Settings::set_flag(const std::string& name, const std::optional<std::string>& value) {
  if (value) flags_[name] = *value;
}

std::optional<std::filesystem::path> Settings::config_file_path() {
  if (auto xdg = xdg_dir("XDG_CONFIG_HOME")) return *xdg / "tgget" / "config";
  if (auto home = user_home()) return *home / ".config" / "tgget" / "config";
  return std::nullopt;
}

mtp::Status Settings::load_implicit_files(const std::filesystem::path& current_dir) {
  std::error_code ec;
  if (const auto dotenv = current_dir / ".env"; std::filesystem::is_regular_file(dotenv, ec)) {
    auto values = read_env_file(dotenv, /*lenient=*/true);
    if (!values) return std::move(values).error();
    dotenv_ = std::move(*values);
  }
  if (const auto config = config_file_path(); config && std::filesystem::is_regular_file(*config, ec)) {
    auto values = read_env_file(*config);  // ours alone: a bad line is an error
    if (!values) return std::move(values).error();
    config_file_ = std::move(*values);
  }
  return {};
}

std::optional<Settings::Source> Settings::source_of(const std::string& name) const {
  auto in = [&name](const Values& values) {
    auto it = values.find(name);
    return it != values.end() && !it->second.empty();
  };
  if (in(flags_)) return Source::kFlag;
  if (in(env_file_)) return Source::kEnvFile;
  if (const char* v = std::getenv(name.c_str()); v && *v) return Source::kEnvironment;
  if (in(dotenv_)) return Source::kDotEnv;
  if (in(config_file_)) return Source::kConfigFile;
  return std::nullopt;
}

std::optional<std::string> Settings::get(const std::string& name) const {
  const auto source = source_of(name);
  if (!source) return std::nullopt;
  switch (*source) {
    case Source::kFlag: return flags_.at(name);
    case Source::kEnvFile: return env_file_.at(name);
    case Source::kEnvironment: return std::string(std::getenv(name.c_str()));
    case Source::kDotEnv: return dotenv_.at(name);
    case Source::kConfigFile: return config_file_.at(name);
  }
  return std::nullopt;
}

std::filesystem::path Settings::home() const {
  if (auto h = get("TGGET_HOME")) return *h;
  if (auto xdg = xdg_dir("XDG_STATE_HOME")) return *xdg / "tgget";
  if (auto home = user_home()) return *home / ".local/state/tgget";
  // No home directory at all: the current directory, visibly named, rather than nowhere.
  return ".tgget";
}

std::string Settings::account() const { return get("TGGET_ACCOUNT").value_or("default"); }

std::filesystem::path Settings::account_db() const { return home() / "accounts" / (account() + ".sqlite"); }

mtp::Result<mtp::transport::ProxyConfig> parse_proxy(const std::string& url) {
  mtp::transport::ProxyConfig proxy;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return bad_setting("TGGET_PROXY", "expected socks5://host:port or http://host:port");
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme == "socks5" || scheme == "socks5h") proxy.type = mtp::transport::ProxyConfig::Type::kSocks5;
  else if (scheme == "http") proxy.type = mtp::transport::ProxyConfig::Type::kHttpConnect;
  else return bad_setting("TGGET_PROXY", "unsupported scheme " + scheme);
  std::string rest = url.substr(scheme_end + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    const std::string credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = credentials.find(':');
    proxy.username = credentials.substr(0, colon);
    if (colon != std::string::npos) proxy.password = credentials.substr(colon + 1);
  }
  if (!split_host_port(rest, proxy.host, proxy.port)) return bad_setting("TGGET_PROXY", "expected host:port after the scheme");
  return proxy;
}

mtp::Result<mtp::client::ClientConfig> Settings::client_config() const {
  mtp::client::ClientConfig config;
  config.app_version = TGGET_VERSION;
  if (utsname u{}; ::uname(&u) == 0) {
    config.system_version = std::string(u.sysname) + " " + u.release;
    config.device_model = std::string("tgget on ") + u.machine;
  }
  if (auto server = get("TGGET_SERVER")) {
    mtp::client::TestServer test;
    if (!split_host_port(*server, test.host, test.port)) return bad_setting("TGGET_SERVER", "expected host:port");
    if (auto dc = get("TGGET_SERVER_DC")) {
      auto id = parse_int(*dc, 1, 1000);
      if (!id) return bad_setting("TGGET_SERVER_DC", "expected a DC id");
      test.dc = *id;
    }
    auto key_path = get("TGGET_SERVER_KEY");
    if (!key_path) return bad_setting("TGGET_SERVER_KEY", "a test server needs its RSA public key (PEM file)");
    std::ifstream in(*key_path);
    if (!in) return bad_setting("TGGET_SERVER_KEY", *key_path + ": cannot read");
    std::ostringstream pem;
    pem << in.rdbuf();
    test.rsa_public_key_pem = pem.str();
    config.test_server = std::move(test);
  }
  if (auto api_id = get("TGGET_API_ID")) {
    auto id = parse_int(*api_id, 1, 0x7fffffff);
    if (!id) return bad_setting("TGGET_API_ID", "expected a positive number");
    config.api_id = *id;
  }
  config.api_hash = get("TGGET_API_HASH").value_or("");
  if (!config.test_server && (config.api_id == 0 || config.api_hash.empty())) {
    return mtp::Error::local(mtp::kErrInvalidArgument, "API_ID_REQUIRED",
                             "set TGGET_API_ID and TGGET_API_HASH (from https://my.telegram.org) to use Telegram");
  }
  if (auto proxy = get("TGGET_PROXY")) {
    auto parsed = parse_proxy(*proxy);
    if (!parsed) return std::move(parsed).error();
    config.connect.proxy = *parsed;
  }
  if (auto transport = get("TGGET_TRANSPORT")) {
    using mtp::transport::TransportKind;
    if (*transport == "intermediate") config.connect.transport = TransportKind::kIntermediate;
    else if (*transport == "abridged") config.connect.transport = TransportKind::kAbridged;
    else if (*transport == "padded") config.connect.transport = TransportKind::kPaddedIntermediate;
    else if (*transport == "full") config.connect.transport = TransportKind::kFull;
    else return bad_setting("TGGET_TRANSPORT", "one of intermediate, abridged, padded, full");
  }
  if (auto obfuscate = get("TGGET_OBFUSCATE")) config.connect.obfuscated = *obfuscate == "1" || *obfuscate == "true";
  if (auto ipv6 = get("TGGET_IPV6")) config.prefer_ipv6 = *ipv6 == "1" || *ipv6 == "true";
  return config;
}

}  // namespace tgget
