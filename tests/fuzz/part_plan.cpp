// The planner state loader (PartPlanner::restore, src/engine/part_plan_blob.cpp). Byte 0:
//   bit 0: fix the CRC: the harness rewrites the trailing CRC-32 to match, so mutations reach the
//          checks behind it (sizes, counts, the bitmask) instead of dying at the checksum;
//   bit 1: expect the sizes the blob's own header names (else those of the next 12 bytes).
// Whatever restores must serialise back to exactly the same blob.
#include <zlib.h>

#include <cstring>

#include "engine/part_planner.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 13) return 0;
  std::uint64_t file_size;
  std::uint32_t part_size;
  std::memcpy(&file_size, data + 1, 8);
  std::memcpy(&part_size, data + 9, 4);
  mtp::Bytes blob(data + 13, data + size);
  if ((data[0] & 1) && blob.size() >= 4) {
    const auto crc = static_cast<std::uint32_t>(::crc32(0L, blob.data(), static_cast<uInt>(blob.size() - 4)));
    std::memcpy(blob.data() + blob.size() - 4, &crc, 4);
  }
  if ((data[0] & 2) && blob.size() >= 17) {
    std::memcpy(&file_size, blob.data() + 5, 8);
    std::memcpy(&part_size, blob.data() + 13, 4);
  }
  auto plan = tgget::engine::PartPlanner::restore(blob, file_size, part_size);
  if (!plan) return 0;
  TGGET_FUZZ_CHECK(plan->serialize() == blob);
  return 0;
}
