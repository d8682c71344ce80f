#pragma once
// One line per RPC to a log file, and counts per method and per error for the final summary, so
// tests can assert what a client actually did (e.g. exactly one auth.exportAuthorization).
// Line format (tab-separated): time_ms dc conn auth_key_id method bytes_in bytes_out result [detail]
// Deviations (what a client did that Telegram tolerates but its rules forbid, see
// message_processor.hpp) are lines with method "deviation", the bad_msg code it would have got as
// result and what happened as detail.
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

namespace testdc {

struct RpcRecord {
  int dc = 0;
  std::uint64_t connection = 0;
  std::uint64_t auth_key_id = 0;
  std::string method;        // "upload.getFile", "handshake", ...
  std::size_t bytes_in = 0;
  std::size_t bytes_out = 0;
  std::string result;        // "ok" or the error, e.g. "FLOOD_WAIT_3"
  std::string detail = {};   // why, when the result alone does not say (undecodable requests, deviations)
};

class RpcLog {
 public:
  RpcLog() = default;
  ~RpcLog();
  RpcLog(const RpcLog&) = delete;
  RpcLog& operator=(const RpcLog&) = delete;

  // Opens (truncates) the log file; without it only counts are kept.
  bool open(const std::string& path);
  void record(const RpcRecord& r);
  // "summary calls=N deviations=D" then "method NAME COUNT" and "error NAME COUNT" lines, sorted by name.
  std::string summary() const;
  std::uint64_t count(const std::string& method) const;

 private:
  mutable std::mutex mu_;
  std::FILE* file_ = nullptr;
  std::uint64_t calls_ = 0;
  std::map<std::string, std::uint64_t> methods_;
  std::map<std::string, std::uint64_t> errors_;
};

}  // namespace testdc
