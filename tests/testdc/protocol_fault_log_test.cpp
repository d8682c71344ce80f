// The fault switches as the RPC log file shows them, which is how the download tests count them:
// a stall is a line of its own (method "stall"), a corrupted answer carries its fault in the
// detail column of its upload.getFile / upload.getFileHashes line.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "protocol_harness.hpp"
#include "tl/container.hpp"

using namespace testdc;
using namespace testdc::testing;
using namespace std::chrono_literals;

namespace {

// The log of an InProcessDc written to a file of its own (removed afterwards), read back as
// tab-separated fields: time dc conn key method in out result [detail].
class LogFile {
 public:
  explicit LogFile(InProcessDc& dc)
      : path_(std::filesystem::temp_directory_path() / ("tgget-faultlog-" + std::to_string(::getpid()) + ".log")) {
    REQUIRE(dc.state().log().open(path_.string()));
  }
  ~LogFile() { std::filesystem::remove(path_); }

  std::vector<std::vector<std::string>> lines(const std::string& method) const {
    std::ifstream in(path_);
    std::vector<std::vector<std::string>> out;
    for (std::string line; std::getline(in, line);) {
      std::vector<std::string> fields;
      std::stringstream split(line);
      for (std::string f; std::getline(split, f, '\t');) fields.push_back(f);
      if (fields.size() >= 8 && fields[4] == method) out.push_back(std::move(fields));
    }
    return out;
  }

 private:
  std::filesystem::path path_;
};

// upload.getFile answered by the fake handler, with the detail a corrupting handler would give.
asio::awaitable<ApiReply> detailed_file_handler(ApiCall& call) {
  ApiReply reply = co_await fake_file_handler(call);
  if (reply.method == "upload.getFile") reply.detail = "corrupt bytes 0:16";
  co_return reply;
}

}  // namespace

TEST_CASE("RPC log: a stall is a line with method stall, the bytes sent and which stall it was") {
  Conditions conditions;
  conditions.stall_after_bytes = 100'000;
  conditions.stall_connections = 1;
  InProcessDc dc(conditions);
  LogFile log(dc);
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    auto sent = co_await c.send(get_file_request(0, 128 * 1024));
    REQUIRE(sent.ok());
    auto answer = co_await c.receive_result(*sent, 10s);
    REQUIRE(answer.ok());
    // The server logs the stall once its write of that packet completes: a later packet, which
    // will never come, is awaited for a moment.
    auto nothing = co_await c.receive(300ms);
    REQUIRE(nothing.ok());
    CHECK_FALSE(nothing->has_value());
  });
  const auto stalls = log.lines("stall");
  REQUIRE(stalls.size() == 1);
  const auto& s = stalls.front();
  CHECK(s[1] == "dc=2");
  CHECK(s[7] == "ok");
  REQUIRE(s.size() == 9);
  INFO(s[8]);
  CHECK(s[8].starts_with("silent after "));
  CHECK(s[8].ends_with(" bytes (threshold 100000), stall 1 of 1"));
  const long long out = std::stoll(s[6].substr(4));  // "out=N": the bytes the connection had sent
  CHECK(out >= 100'000);
  CHECK(out < 140'000);
}

TEST_CASE("RPC log: a handler's detail goes to the detail column (how corrupted answers are counted)") {
  InProcessDc dc({}, detailed_file_handler);
  LogFile log(dc);
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    for (int i = 0; i < 3; ++i) {
      auto sent = co_await c.send(get_file_request(0, 4096));
      REQUIRE(sent.ok());
      auto answer = co_await c.receive_result(*sent, 10s);
      REQUIRE(answer.ok());
    }
  });
  const auto calls = log.lines("upload.getFile");
  REQUIRE(calls.size() == 3);
  for (const auto& f : calls) {
    REQUIRE(f.size() == 9);
    CHECK(f[7] == "ok");  // the client got an answer: the fault is in the detail, not the result
    CHECK(f[8] == "corrupt bytes 0:16");
  }
  CHECK(dc.state().log().summary().find("error") == std::string::npos);
}
