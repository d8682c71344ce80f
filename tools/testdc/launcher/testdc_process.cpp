#include "testdc_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tgget::testing {
namespace fs = std::filesystem;

std::string testdc_binary() { return TGGET_TESTDC_BINARY; }
std::string tgget_binary() { return TGGET_BINARY; }

mtp::Bytes pattern_bytes(std::size_t n, std::uint32_t seed) {
  mtp::Bytes out(n);
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& b : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<std::uint8_t>(x);
  }
  return out;
}

namespace {

// Reads stdout until a line "READY" (true) or EOF / the deadline (false).
bool wait_ready(int fd, std::chrono::seconds limit, std::string& seen) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string buffer;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[256];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
    seen = buffer;
    std::istringstream lines(buffer);
    std::string line;
    while (std::getline(lines, line)) {
      if (line == "READY") return true;
    }
  }
}

}  // namespace

TestDcProcess::TestDcProcess(TestDcOptions options) {
  static std::atomic<int> counter{0};
  dir_ = fs::temp_directory_path() /
         ("tgget-client-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)));
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  for (const auto& [name, bytes] : options.files) {
    std::ofstream out(dir_ / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  const fs::path manifest = dir_ / "world.json";
  std::ofstream(manifest) << options.manifest;
  env_path_ = dir_ / "testdc.env";
  log_path_ = dir_ / "rpc.log";

  std::vector<std::string> args = {testdc_binary(), "--manifest", manifest.string(), "--port-base", "0",
                                   "--write-env",   env_path_.string(), "--log", log_path_.string(),
                                   "--state-dir",   dir_.string()};
  if (options.strict) args.push_back("--strict");
  strict_ = options.strict;
  args.insert(args.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // The server must not outlive a test process that crashes or is killed by a timeout.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  stdout_fd_ = pipe_fds[0];
  std::string seen;
  if (!wait_ready(stdout_fd_, std::chrono::seconds(60), seen)) {
    stop();
    throw std::runtime_error("tgget-testdc did not print READY; output: " + seen);
  }
  std::ifstream in(env_path_);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    env_[line.substr(0, eq)] = line.substr(eq + 1);
  }
}

TestDcProcess::~TestDcProcess() {
  stop();
  if (strict_) {
    if (const auto lines = deviations(); !lines.empty()) {
      std::fprintf(stderr, "tgget-testdc: the client committed %zu deviation(s) from MTProto:\n", lines.size());
      for (const auto& l : lines) std::fprintf(stderr, "  %s\n", l.c_str());
      std::abort();
    }
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

int TestDcProcess::stop() {
  int status = 0;
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
    stdout_fd_ = -1;
  }
  return status;
}

mtp::client::ClientConfig TestDcProcess::client_config() const {
  mtp::client::ClientConfig config;
  mtp::client::TestServer server;
  const std::string address = env_.at("TGGET_SERVER");
  const auto colon = address.rfind(':');
  server.host = address.substr(0, colon);
  server.port = static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1)));
  server.dc = std::stoi(env_.at("TGGET_SERVER_DC"));
  std::ifstream key(env_.at("TGGET_SERVER_KEY"));
  std::ostringstream pem;
  pem << key.rdbuf();
  server.rsa_public_key_pem = pem.str();
  config.test_server = server;
  config.api_id = std::stoi(env_.at("TGGET_API_ID"));
  config.api_hash = env_.at("TGGET_API_HASH");
  return config;
}

std::vector<RpcLine> TestDcProcess::rpc_log() const {
  std::vector<RpcLine> out;
  std::ifstream in(log_path_);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    std::string field;
    while (std::getline(fields, field, '\t')) f.push_back(field);
    if (f.size() < 8) continue;
    RpcLine r;
    r.dc = std::stoi(f[1].substr(3));
    r.connection = f[2];
    r.key = f[3];
    r.method = f[4];
    r.result = f[7];
    if (f.size() > 8) r.detail = f[8];
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> TestDcProcess::deviations() const {
  std::vector<std::string> out;
  for (const auto& r : rpc_log()) {
    if (r.method == "deviation") out.push_back("dc " + std::to_string(r.dc) + ": " + r.result + " " + r.detail);
  }
  return out;
}

int TestDcProcess::count(const std::string& method, const std::string& result) const {
  int n = 0;
  for (const auto& r : rpc_log()) {
    if (r.method == method && (result.empty() || r.result == result)) ++n;
  }
  return n;
}

}  // namespace tgget::testing
