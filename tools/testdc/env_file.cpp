#include "env_file.hpp"

#include <fstream>

namespace testdc {

std::string format_env(const World& world, const EnvFacts& facts) {
  std::string out = "# written by tgget-testdc\n";
  auto line = [&out](const std::string& key, const std::string& value) { out.append(key).append("=").append(value).append("\n"); };
  line("TGGET_SERVER", facts.host + ":" + std::to_string(facts.port));
  line("TGGET_SERVER_DC", std::to_string(facts.dc));
  line("TGGET_SERVER_KEY", std::filesystem::absolute(facts.public_key).string());
  line("TGGET_API_ID", std::to_string(world.api_id));
  line("TGGET_API_HASH", world.api_hash);
  if (!facts.control.empty()) line("TGGET_TESTDC_CONTROL", facts.control);
  // The first account that is not a bot is the one tests and the demo log in with.
  for (const auto& account : world.accounts) {
    if (account.bot_token) continue;
    line("TGGET_TEST_PHONE", account.phone);
    line("TGGET_TEST_CODE", account.code);
    break;
  }
  return out;
}

mtp::Status write_env_file(const std::filesystem::path& path, const World& world, const EnvFacts& facts) {
  const auto tmp = std::filesystem::path(path.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << format_env(world, facts);
    if (!out) return mtp::Error::local(mtp::kErrIo, "WRITE_FAILED", tmp.string());
  }
  std::error_code ec;
  // Readers poll for the file: it must appear complete.
  std::filesystem::rename(tmp, path, ec);
  if (ec) return mtp::Error::local(mtp::kErrIo, "WRITE_FAILED", path.string() + ": " + ec.message());
  return {};
}

}  // namespace testdc
