#pragma once
// A freshly started tgget-testdc process for one test or benchmark: the world (manifest + files) written to a
// private temporary directory, ephemeral ports, READY awaited on its stdout (no sleeping), the
// env file and the RPC log read back, SIGTERM and cleanup in the destructor.
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "client/client_config.hpp"
#include "core/bytes.hpp"

namespace tgget::testing {

struct TestDcOptions {
  std::string manifest;                    // JSON; file names relative to the world directory
  std::map<std::string, mtp::Bytes> files;  // written next to the manifest
  std::vector<std::string> args;           // extra flags (conditions)
  // tgget's own tests and benchmarks run the server --strict, and a client of ours that commits a
  // deviation (something Telegram tolerates but MTProto forbids) ends the test process when the
  // server is stopped: no test of tgget can pass while tgget has bad manners.
  bool strict = true;
};

struct RpcLine {
  int dc = 0;
  std::string connection;
  std::string key;
  std::string method;
  std::string result;
  std::string detail;
};

class TestDcProcess {
 public:
  explicit TestDcProcess(TestDcOptions options);
  ~TestDcProcess();
  TestDcProcess(const TestDcProcess&) = delete;
  TestDcProcess& operator=(const TestDcProcess&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  const std::filesystem::path& env_path() const { return env_path_; }
  const std::map<std::string, std::string>& env() const { return env_; }
  // A client configuration pointing at this server (api_id/hash from its env file).
  mtp::client::ClientConfig client_config() const;

  std::vector<RpcLine> rpc_log() const;
  int count(const std::string& method, const std::string& result = "") const;
  // The deviation lines of the log ("deviation" method; the refusal code and what happened).
  std::vector<std::string> deviations() const;

  // Sends SIGTERM and waits; returns the exit status (also done by the destructor).
  int stop();

 private:
  std::filesystem::path dir_;
  std::filesystem::path env_path_;
  std::filesystem::path log_path_;
  std::map<std::string, std::string> env_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  bool strict_ = true;
};

// Where the built binaries are.
std::string testdc_binary();
std::string tgget_binary();

// A deterministic byte pattern (xorshift), for file contents the test can check.
mtp::Bytes pattern_bytes(std::size_t n, std::uint32_t seed);

}  // namespace tgget::testing
