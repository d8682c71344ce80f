#pragma once
// Where each setting comes from, strongest first: a command-line flag, the --env-file (explicit),
// the process environment (TGGET_*), a .env in the current directory (implicit, the dotenv
// convention), $XDG_CONFIG_HOME/tgget/config (same KEY=VALUE lines), the built-in default. tgget
// reads these files and never writes them. Settings turn into the client library's ClientConfig
// here, so the rest of the program never reads the environment itself.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "client/client_config.hpp"
#include "core/result.hpp"

namespace tgget {

class Settings {
 public:
  using Values = std::map<std::string, std::string>;
  enum class Source { kFlag, kEnvFile, kEnvironment, kDotEnv, kConfigFile };

  // Reads KEY=VALUE lines (comments with #, optional quotes, `export ` prefix allowed). A line that
  // is not NAME=VALUE is an error naming the line, unless `lenient` (a .env found in the current
  // directory may belong to another tool and hold what only that tool understands: skipped).
  static mtp::Result<Values> read_env_file(const std::filesystem::path& path, bool lenient = false);
  // $XDG_CONFIG_HOME/tgget/config, or ~/.config/tgget/config (nullopt without either).
  static std::optional<std::filesystem::path> config_file_path();
  // Reads the implicit files that exist: ./.env and the config file. A missing file is no error.
  mtp::Status load_implicit_files(const std::filesystem::path& current_dir);

  void set_env_file(Values values) { env_file_ = std::move(values); }
  void set_dotenv(Values values) { dotenv_ = std::move(values); }
  void set_config_file(Values values) { config_file_ = std::move(values); }
  // A flag given on the command line (empty optionals are ignored).
  void set_flag(const std::string& name, const std::optional<std::string>& value);

  // The value of TGGET_<NAME>-style setting `name`, or nullopt when unset or empty.
  std::optional<std::string> get(const std::string& name) const;
  // Where get(name) found its value (for -v: "TGGET_SERVER from .env").
  std::optional<Source> source_of(const std::string& name) const;

  // The state directory: TGGET_HOME, else $XDG_STATE_HOME/tgget (absolute paths only, as the XDG
  // spec says), else ~/.local/state/tgget.
  std::filesystem::path home() const;
  std::string account() const;
  std::filesystem::path account_db() const;

  // Errors (kErrInvalidArgument): a malformed TGGET_SERVER / TGGET_PROXY / TGGET_API_ID, an
  // unreadable TGGET_SERVER_KEY, TGGET_API_ID missing for Telegram's production network.
  mtp::Result<mtp::client::ClientConfig> client_config() const;

 private:
  Values flags_, env_file_, dotenv_, config_file_;
};

const char* source_name(Settings::Source source);

// "socks5://user:pass@host:port" / "http://host:port" → ProxyConfig.
mtp::Result<mtp::transport::ProxyConfig> parse_proxy(const std::string& url);

}  // namespace tgget
