#include "part_hashes.hpp"

#include <algorithm>

namespace tgget::engine {

std::vector<WindowDigest> window_digests(std::uint64_t offset, mtp::ByteSpan bytes, mtp::crypto::Sha256Stream* file) {
  std::vector<WindowDigest> out;
  out.reserve((bytes.size() + kHashWindow - 1) / kHashWindow);
  for (std::size_t at = 0; at < bytes.size(); at += kHashWindow) {
    const std::size_t n = std::min<std::size_t>(kHashWindow, bytes.size() - at);
    mtp::crypto::Sha256Stream window;
    if (file) update_both(window, *file, bytes.subspan(at, n));
    else window.update(bytes.subspan(at, n));
    out.push_back({offset + at, static_cast<std::uint32_t>(n), window.digest()});
  }
  return out;
}

void ExpectedHashes::add(std::uint64_t offset, std::uint32_t length, mtp::ByteSpan sha256) {
  if (sha256.size() != 32 || length == 0 || offset % kHashWindow != 0) return;
  Entry e{length, {}};
  std::copy(sha256.begin(), sha256.end(), e.sha256.begin());
  by_offset_[offset] = e;
}

Verdict ExpectedHashes::check(const std::vector<WindowDigest>& digests) const {
  bool all_known = !digests.empty();
  for (const WindowDigest& d : digests) {
    auto it = by_offset_.find(d.offset);
    if (it == by_offset_.end()) {
      all_known = false;
      continue;
    }
    if (it->second.length != d.length || it->second.sha256 != d.sha256) return Verdict::kMismatch;
  }
  return all_known ? Verdict::kMatch : Verdict::kUnknown;
}

void ExpectedHashes::forget(const std::vector<WindowDigest>& digests) {
  for (const WindowDigest& d : digests) by_offset_.erase(d.offset);
}

void ExpectedHashes::forget_range(std::uint64_t offset, std::uint64_t length) {
  by_offset_.erase(by_offset_.lower_bound(offset), by_offset_.lower_bound(offset + length));
}

std::uint64_t ExpectedHashes::first_unknown(std::uint64_t from) const {
  std::uint64_t at = from - from % kHashWindow;
  for (auto it = by_offset_.lower_bound(at); it != by_offset_.end() && it->first == at; ++it) at += it->second.length;
  return at;
}

}  // namespace tgget::engine
