#pragma once
// What the world's loaders (world_manifest.cpp, world_sample.cpp) and editor (world_edit.cpp)
// share: the deterministic mix behind ids and access hashes, and the manifest's error.
#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace testdc::detail {

// splitmix64: a fixed, seedable mix so ids and access hashes are the same on every run.
constexpr std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::int64_t access_hash_for(std::uint64_t seed, std::int64_t id, std::uint64_t salt) {
  return static_cast<std::int64_t>(mix(seed ^ mix(static_cast<std::uint64_t>(id) ^ salt)));
}

// A document's id: from the chat and the message that first carried it.
constexpr std::int64_t document_id_for(std::uint64_t seed, std::int64_t channel_id, int msg_id) {
  return static_cast<std::int64_t>(mix(seed ^ mix(static_cast<std::uint64_t>(channel_id) * 1'000'003 +
                                                  static_cast<std::uint64_t>(msg_id))) >> 2);
}

constexpr std::int64_t kBaseDate = 1'700'000'000;  // fixed message dates keep runs reproducible

inline mtp::Error manifest_error(std::string detail) {
  return mtp::Error::local(mtp::kErrInvalidArgument, "MANIFEST_INVALID", std::move(detail));
}

std::string lower(std::string s);
std::string digits_only(const std::string& phone);

}  // namespace testdc::detail
