#pragma once
// --write-env: what a client needs to reach the test DC, one KEY=VALUE a line (shell-sourceable).
#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "world.hpp"

namespace testdc {

struct EnvFacts {
  std::string host;
  int port = 0;           // the home DC's main address
  int dc = 0;
  std::filesystem::path public_key;
  std::string control;    // host:port of --control-port; empty without one
};

std::string format_env(const World& world, const EnvFacts& facts);
mtp::Status write_env_file(const std::filesystem::path& path, const World& world, const EnvFacts& facts);

}  // namespace testdc
