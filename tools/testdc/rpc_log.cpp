#include "rpc_log.hpp"

#include <chrono>

namespace testdc {

RpcLog::~RpcLog() {
  if (file_) std::fclose(file_);
}

bool RpcLog::open(const std::string& path) {
  std::lock_guard lock(mu_);
  if (file_) std::fclose(file_);
  file_ = std::fopen(path.c_str(), "w");
  return file_ != nullptr;
}

void RpcLog::record(const RpcRecord& r) {
  std::lock_guard lock(mu_);
  ++calls_;
  ++methods_[r.method];
  if (r.result != "ok") ++errors_[r.result];
  if (!file_) return;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::fprintf(file_, "%lld\tdc=%d\tconn=%llu\tkey=%016llx\t%s\tin=%zu\tout=%zu\t%s%s%s\n",
               static_cast<long long>(ms), r.dc, static_cast<unsigned long long>(r.connection),
               static_cast<unsigned long long>(r.auth_key_id), r.method.c_str(), r.bytes_in, r.bytes_out,
               r.result.c_str(), r.detail.empty() ? "" : "\t", r.detail.c_str());
  // Tests read the log while the server runs: every line must be complete on disk.
  std::fflush(file_);
}

std::string RpcLog::summary() const {
  std::lock_guard lock(mu_);
  auto deviations = methods_.find("deviation");
  std::string out = "summary calls=" + std::to_string(calls_) +
                    " deviations=" + std::to_string(deviations == methods_.end() ? 0 : deviations->second) + "\n";
  for (const auto& [name, n] : methods_) out.append("method ").append(name).append(" ").append(std::to_string(n)).append("\n");
  for (const auto& [name, n] : errors_) out.append("error ").append(name).append(" ").append(std::to_string(n)).append("\n");
  return out;
}

std::uint64_t RpcLog::count(const std::string& method) const {
  std::lock_guard lock(mu_);
  auto it = methods_.find(method);
  return it == methods_.end() ? 0 : it->second;
}

}  // namespace testdc
