#include "api_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "crypto/sha.hpp"

namespace testdc {
namespace {

constexpr std::uint8_t kRefVersion = 0x01;
constexpr std::size_t kTagSize = 8;
constexpr std::size_t kRefSize = 1 + 8 + 8 + kTagSize;

void put_le64(mtp::Bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get_le64(mtp::ByteSpan in) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | in[static_cast<std::size_t>(i)];
  return v;
}

}  // namespace

FileStore::~FileStore() {
  for (auto& [id, fd] : fds_) ::close(fd);
}

mtp::Result<int> FileStore::fd_for(const Document& doc) {
  std::lock_guard lock(mu_);
  if (auto it = fds_.find(doc.id); it != fds_.end()) return it->second;
  int fd = ::open(doc.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return mtp::Error::local(mtp::kErrIo, "OPEN_FAILED", doc.path.string() + ": " + std::strerror(errno));
  }
  fds_.emplace(doc.id, fd);
  return fd;
}

mtp::Result<mtp::Bytes> FileStore::read(const Document& doc, std::int64_t offset, std::int32_t limit) {
  if (doc.generated_seed) {  // made on the fly: a 200 MiB demo file costs no disk
    const std::int64_t n = std::clamp<std::int64_t>(doc.size - offset, 0, limit);
    mtp::Bytes out(static_cast<std::size_t>(n));
    generated_bytes(*doc.generated_seed, offset, out);
    return out;
  }
  auto fd = fd_for(doc);
  if (!fd) return std::move(fd).error();
  mtp::Bytes out(static_cast<std::size_t>(limit));
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::pread(*fd, out.data() + got, out.size() - got, static_cast<off_t>(offset) + static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return mtp::Error::local(mtp::kErrIo, "READ_FAILED", doc.path.string() + ": " + std::strerror(errno));
    if (n == 0) break;  // end of file: a short chunk tells the client it has everything
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

FileReferences::FileReferences(std::uint64_t seed) {
  mtp::Bytes seed_bytes;
  put_le64(seed_bytes, seed);
  static constexpr char kLabel[] = "tgget-testdc file reference";
  auto digest = mtp::crypto::sha256(
      {mtp::ByteSpan(reinterpret_cast<const std::uint8_t*>(kLabel), sizeof kLabel - 1), seed_bytes});
  key_.assign(digest.begin(), digest.end());
}

mtp::Bytes FileReferences::tag(std::int64_t document_id, std::int64_t issued_s) const {
  mtp::Bytes body;
  put_le64(body, static_cast<std::uint64_t>(issued_s));
  put_le64(body, static_cast<std::uint64_t>(document_id));
  auto digest = mtp::crypto::sha256({key_, body});
  return mtp::Bytes(digest.begin(), digest.begin() + kTagSize);
}

mtp::Bytes FileReferences::issue(std::int64_t document_id, std::int64_t now_s) const {
  mtp::Bytes ref{kRefVersion};
  put_le64(ref, static_cast<std::uint64_t>(now_s));
  put_le64(ref, static_cast<std::uint64_t>(document_id));
  auto t = tag(document_id, now_s);
  ref.insert(ref.end(), t.begin(), t.end());
  return ref;
}

const char* FileReferences::check(mtp::ByteSpan ref, std::int64_t document_id, std::int64_t now_s,
                                  std::int64_t lifetime_s) const {
  if (ref.empty()) return "FILE_REFERENCE_EMPTY";
  if (ref.size() != kRefSize || ref[0] != kRefVersion) return "FILE_REFERENCE_INVALID";
  const auto issued = static_cast<std::int64_t>(get_le64(ref.subspan(1, 8)));
  const auto doc = static_cast<std::int64_t>(get_le64(ref.subspan(9, 8)));
  if (doc != document_id) return "FILE_REFERENCE_INVALID";
  auto want = tag(document_id, issued);
  if (!std::equal(want.begin(), want.end(), ref.begin() + 17)) return "FILE_REFERENCE_INVALID";
  if (now_s - issued >= lifetime_s) return "FILE_REFERENCE_EXPIRED";
  return "";
}

std::optional<int> DownloadTracker::admit(std::int64_t user_id, std::uint64_t connection_id, std::int64_t now_ms,
                                          int limit) {
  constexpr std::int64_t kWindowMs = 1000;
  std::lock_guard lock(mu_);
  auto& conns = last_call_[user_id];
  std::int64_t oldest = now_ms;
  for (auto it = conns.begin(); it != conns.end();) {
    if (now_ms - it->second >= kWindowMs) {
      it = conns.erase(it);
    } else {
      oldest = std::min(oldest, it->second);
      ++it;
    }
  }
  if (limit > 0 && !conns.contains(connection_id) && static_cast<int>(conns.size()) >= limit) {
    // Wait until the oldest other connection leaves the window (whole seconds, at least one).
    const std::int64_t wait_ms = oldest + kWindowMs - now_ms;
    return static_cast<int>(std::max<std::int64_t>(1, (wait_ms + 999) / 1000));
  }
  conns[connection_id] = now_ms;
  return std::nullopt;
}

std::optional<int> DownloadRate::refuse(std::int64_t user_id, std::int64_t bytes, std::int64_t now_ms,
                                        std::int64_t bytes_per_second, int window_ms, int wait_s) {
  if (bytes_per_second <= 0) return std::nullopt;
  std::lock_guard lock(mu_);
  Window& w = windows_[user_id];
  while (!w.sent.empty() && now_ms - w.sent.front().at_ms >= window_ms) {
    w.total -= w.sent.front().bytes;
    w.sent.pop_front();
  }
  // What the rate allows within one window (at least a byte, so tiny rates still mean something).
  const std::int64_t allowance = std::max<std::int64_t>(1, bytes_per_second * window_ms / 1000);
  if (bytes <= 0 || w.total == 0 || w.total + bytes <= allowance) return std::nullopt;
  return wait_s;
}

void DownloadRate::record(std::int64_t user_id, std::int64_t bytes, std::int64_t now_ms) {
  if (bytes <= 0) return;
  std::lock_guard lock(mu_);
  Window& w = windows_[user_id];
  w.sent.push_back(Sent{now_ms, bytes});
  w.total += bytes;
}

bool CorruptionCount::take(Kind kind, std::int64_t document_id, int times) {
  std::lock_guard lock(mu_);
  int& spoilt = spoilt_[{kind, document_id}];
  if (times > 0 && spoilt >= times) return false;
  ++spoilt;
  return true;
}

}  // namespace testdc
