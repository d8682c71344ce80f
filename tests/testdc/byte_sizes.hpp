// Sizes and byte slices the test DC's tests share (one definition per test program, which the
// unity build of the tests needs).
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/bytes.hpp"

namespace testdc::test {

inline constexpr std::int64_t kKiB = 1024;
inline constexpr std::int64_t kMiB = 1024 * 1024;

// data[offset, offset + limit), clipped to the data's end.
inline mtp::Bytes slice(const mtp::Bytes& data, std::int64_t offset, std::int64_t limit) {
  auto begin = std::min<std::int64_t>(offset, static_cast<std::int64_t>(data.size()));
  auto end = std::min<std::int64_t>(offset + limit, static_cast<std::int64_t>(data.size()));
  return mtp::Bytes(data.begin() + begin, data.begin() + end);
}

}  // namespace testdc::test
