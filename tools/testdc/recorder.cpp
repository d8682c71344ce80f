#include "recorder.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>

namespace testdc {

namespace {
constexpr int kPerKind = 3000;
constexpr std::size_t kMaxBytes = 64 << 10;
}  // namespace

void record(std::string_view kind, std::uint64_t group, mtp::ByteSpan bytes) {
  static const char* dir = std::getenv("TESTDC_RECORD");
  if (dir == nullptr) return;
  static std::mutex mutex;
  static std::map<std::string, int, std::less<>> counts;
  static int seq = 0;
  std::lock_guard lock(mutex);
  auto it = counts.try_emplace(std::string(kind), 0).first;
  if (it->second++ >= kPerKind) return;
  char name[96];
  std::snprintf(name, sizeof name, "/%06d-%016llx-%.*s.bin", seq++, static_cast<unsigned long long>(group),
                static_cast<int>(kind.size()), kind.data());
  std::ofstream out(std::string(dir) + name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(std::min(bytes.size(), kMaxBytes)));
}

}  // namespace testdc
