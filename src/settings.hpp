#pragma once
// Where each setting comes from, strongest first: a command-line flag, the --env-file, the process
// environment, the built-in default. Settings turn into the client library's ClientConfig here, so
// the rest of the program never reads the environment itself.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "client/client_config.hpp"
#include "core/result.hpp"

namespace tgget {

class Settings {
 public:
  // Reads KEY=VALUE lines (comments with #, optional quotes, `export ` prefix allowed).
  static mtp::Result<std::map<std::string, std::string>> read_env_file(const std::filesystem::path& path);

  void set_env_file(std::map<std::string, std::string> values) { env_file_ = std::move(values); }
  // A flag given on the command line (empty optionals are ignored).
  void set_flag(const std::string& name, const std::optional<std::string>& value);

  // The value of TGGET_<NAME>-style setting `name`, or nullopt when unset or empty.
  std::optional<std::string> get(const std::string& name) const;

  std::filesystem::path home() const;
  std::string account() const;
  std::filesystem::path account_db() const;

  // Errors (kErrInvalidArgument): a malformed TGGET_SERVER / TGGET_PROXY / TGGET_API_ID, an
  // unreadable TGGET_SERVER_KEY, TGGET_API_ID missing for Telegram's production network.
  mtp::Result<mtp::client::ClientConfig> client_config() const;

 private:
  std::map<std::string, std::string> flags_;
  std::map<std::string, std::string> env_file_;
};

// "socks5://user:pass@host:port" / "http://host:port" → ProxyConfig.
mtp::Result<mtp::transport::ProxyConfig> parse_proxy(const std::string& url);

}  // namespace tgget
