// The saved form of a PartPlanner (what the job store keeps per job), version 1, little-endian:
//   "TGPL"  u8 version  u64 file_size  u32 part_size  u32 part_count
//   bitmask: ceil(part_count / 8) bytes, bit i%8 (LSB first) of byte i/8 = part i is durable
//   u32 CRC-32 (zlib's) of every byte before it
// Only durable parts are recorded: a restored plan never trusts bytes that were not fdatasync'ed.
// Unused bits of the last byte are zero; 4000 parts of a 4000 MiB file take 525 bytes.
#include <zlib.h>

#include <algorithm>
#include <string>

#include "engine/part_planner.hpp"

namespace tgget::engine {
namespace {

using mtp::Error;

constexpr std::uint8_t kMagic[4] = {'T', 'G', 'P', 'L'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kHeaderSize = 4 + 1 + 8 + 4 + 4;
constexpr std::size_t kCrcSize = 4;

void put_le(mtp::Bytes& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

std::uint64_t get_le(mtp::ByteSpan in, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= std::uint64_t{in[at + i]} << (8 * i);
  return value;
}

std::uint32_t crc_of(mtp::ByteSpan data) {
  return static_cast<std::uint32_t>(::crc32(0L, data.data(), static_cast<uInt>(data.size())));
}

Error damaged(const char* type, std::string detail) {
  return Error::local(mtp::kErrMalformed, type, "saved download state: " + std::move(detail));
}

}  // namespace

mtp::Bytes PartPlanner::serialize() const {
  mtp::Bytes out(std::begin(kMagic), std::end(kMagic));
  out.push_back(kVersion);
  put_le(out, file_size_, 8);
  put_le(out, part_size_, 4);
  put_le(out, parts_.size(), 4);
  const std::size_t mask_at = out.size();
  out.resize(mask_at + (parts_.size() + 7) / 8, 0);
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    if (parts_[i].state == PartState::kDurable) out[mask_at + i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
  }
  put_le(out, crc_of(out), 4);
  return out;
}

mtp::Result<PartPlanner> PartPlanner::restore(mtp::ByteSpan blob, std::uint64_t file_size,
                                              std::uint32_t part_size) {
  if (blob.size() < kHeaderSize + kCrcSize) {
    return damaged("PLAN_TRUNCATED", std::to_string(blob.size()) + " bytes, shorter than its header");
  }
  if (!std::equal(std::begin(kMagic), std::end(kMagic), blob.begin())) {
    return damaged("PLAN_MAGIC", "not a tgget part plan");
  }
  if (blob[4] != kVersion) {
    return Error::local(mtp::kErrUnsupported, "PLAN_VERSION",
                        "saved download state of version " + std::to_string(blob[4]) + " (this tgget reads 1)");
  }
  const std::uint64_t saved_size = get_le(blob, 5, 8);
  const auto saved_part_size = static_cast<std::uint32_t>(get_le(blob, 13, 4));
  const auto saved_count = static_cast<std::uint32_t>(get_le(blob, 17, 4));
  const std::size_t mask_bytes = (std::size_t{saved_count} + 7) / 8;
  const std::size_t expected = kHeaderSize + mask_bytes + kCrcSize;
  if (blob.size() < expected) {
    return damaged("PLAN_TRUNCATED", std::to_string(blob.size()) + " of " + std::to_string(expected) + " bytes");
  }
  if (blob.size() > expected) {
    return damaged("PLAN_CORRUPT", std::to_string(blob.size() - expected) + " bytes after its end");
  }
  const auto body = blob.first(blob.size() - kCrcSize);
  if (crc_of(body) != get_le(blob, body.size(), 4)) return damaged("PLAN_CRC", "checksum mismatch");

  auto plan = create(saved_size, saved_part_size);
  if (!plan.ok()) return damaged("PLAN_CORRUPT", plan.error().detail);
  if (plan->part_count() != saved_count) {
    return damaged("PLAN_CORRUPT", std::to_string(saved_count) + " parts recorded, the sizes make " +
                                       std::to_string(plan->part_count()));
  }
  if (saved_size != file_size || saved_part_size != part_size) {
    return Error::local(mtp::kErrInvalidArgument, "PLAN_MISMATCH",
                        "saved download state is for " + std::to_string(saved_size) + " bytes in parts of " +
                            std::to_string(saved_part_size) + ", not " + std::to_string(file_size) +
                            " in parts of " + std::to_string(part_size));
  }
  const auto mask = blob.subspan(kHeaderSize, mask_bytes);
  if (saved_count % 8 != 0 && (mask.back() >> (saved_count % 8)) != 0) {
    return damaged("PLAN_CORRUPT", "bits set past the last part");
  }
  for (std::uint32_t i = 0; i < saved_count; ++i) {
    if ((mask[i / 8] >> (i % 8) & 1) == 0) continue;
    plan->parts_[i].state = PartState::kDurable;
    ++plan->durable_parts_;
    plan->bytes_durable_ += plan->part(i).length;
  }
  return plan;
}

}  // namespace tgget::engine
