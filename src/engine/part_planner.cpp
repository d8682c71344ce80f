#include "engine/part_planner.hpp"

#include <algorithm>
#include <functional>
#include <string>

namespace tgget::engine {
namespace {

using mtp::Error;
using mtp::kErrInvalidArgument;

std::uint64_t parts_for(std::uint64_t file_size, std::uint32_t part_size) {
  return file_size / part_size + (file_size % part_size != 0 ? 1 : 0);
}

}  // namespace

bool valid_part_size(std::uint32_t part_size) {
  return part_size >= kMinPartSize && part_size <= kMaxPartSize && (part_size & (part_size - 1)) == 0;
}

std::uint32_t choose_part_size(std::uint64_t file_size) {
  constexpr std::uint32_t kSmallest = 128 * 1024;  // one upload.getFileHashes window
  constexpr std::uint64_t kWantedParts = 8;
  std::uint32_t size = kMaxPartSize;
  while (size > kSmallest && file_size < kWantedParts * size) size /= 2;
  return size;
}

PartPlanner::PartPlanner(std::uint64_t file_size, std::uint32_t part_size, std::uint32_t count)
    : file_size_(file_size), part_size_(part_size), parts_(count) {}

mtp::Result<PartPlanner> PartPlanner::create(std::uint64_t file_size, std::uint32_t part_size) {
  if (!valid_part_size(part_size)) {
    return Error::local(kErrInvalidArgument, "PLAN_PART_SIZE",
                        "part size " + std::to_string(part_size) + " is not a power of two from 4 KiB to 1 MiB");
  }
  const std::uint64_t count = parts_for(file_size, part_size);
  if (count > kMaxPartCount) {
    return Error::local(kErrInvalidArgument, "PLAN_TOO_MANY_PARTS",
                        std::to_string(file_size) + " bytes in parts of " + std::to_string(part_size) +
                            " make more than " + std::to_string(kMaxPartCount) + " parts");
  }
  return PartPlanner(file_size, part_size, static_cast<std::uint32_t>(count));
}

Part PartPlanner::part(std::uint32_t index) const {
  const std::uint64_t offset = std::uint64_t{index} * part_size_;
  const std::uint64_t left = file_size_ - offset;
  return Part{index, offset, static_cast<std::uint32_t>(std::min<std::uint64_t>(left, part_size_))};
}

mtp::Status PartPlanner::check_index(std::uint32_t index) const {
  if (index >= parts_.size()) {
    return Error::local(kErrInvalidArgument, "PLAN_BAD_INDEX",
                        "part " + std::to_string(index) + " of " + std::to_string(parts_.size()));
  }
  return {};
}

// An answer (ok or failed) needs a request that is still out for that part.
mtp::Status PartPlanner::check_answer(std::uint32_t index) const {
  MTP_TRY(check_index(index));
  if (parts_[index].copies == 0) {
    return Error::local(kErrInvalidArgument, "PLAN_NOT_IN_FLIGHT",
                        "an answer for part " + std::to_string(index) + " with no request out");
  }
  return {};
}

std::optional<Part> PartPlanner::next() {
  std::uint32_t index = 0;
  if (!requeued_.empty()) {
    std::pop_heap(requeued_.begin(), requeued_.end(), std::greater<>());
    index = requeued_.back();
    requeued_.pop_back();
  } else {
    while (fresh_ < parts_.size() && parts_[fresh_].state != PartState::kPending) ++fresh_;
    if (fresh_ == parts_.size()) return std::nullopt;
    index = fresh_++;
  }
  parts_[index] = Slot{PartState::kInFlight, 1};
  ++requests_in_flight_;
  return part(index);
}

mtp::Result<std::optional<Part>> PartPlanner::reissue(std::uint32_t index) {
  MTP_TRY(check_index(index));
  Slot& slot = parts_[index];
  if (slot.state == PartState::kPending) {
    return Error::local(kErrInvalidArgument, "PLAN_NOT_IN_FLIGHT",
                        "reissue of part " + std::to_string(index) + ", which is not in flight");
  }
  if (slot.state != PartState::kInFlight) return std::optional<Part>{};
  if (slot.copies >= kMaxCopies) {
    return Error::local(kErrInvalidArgument, "PLAN_TOO_MANY_COPIES",
                        "part " + std::to_string(index) + " already has " + std::to_string(slot.copies) + " requests out");
  }
  ++slot.copies;
  ++requests_in_flight_;
  return std::optional<Part>(part(index));
}

bool PartPlanner::wanted(std::uint32_t index) const {
  return index < parts_.size() && parts_[index].state == PartState::kInFlight;
}

mtp::Result<Answer> PartPlanner::ok(std::uint32_t index) {
  MTP_TRY(check_answer(index));
  Slot& slot = parts_[index];
  --slot.copies;
  --requests_in_flight_;
  if (slot.state != PartState::kInFlight) return Answer::kStale;
  slot.state = PartState::kReceived;
  received_.push_back(index);
  ++received_parts_;
  bytes_received_ += part(index).length;
  return Answer::kFresh;
}

mtp::Status PartPlanner::failed(std::uint32_t index) {
  MTP_TRY(check_answer(index));
  Slot& slot = parts_[index];
  --slot.copies;
  --requests_in_flight_;
  // A failed copy of a part that arrived anyway, or with another copy still out, changes nothing.
  if (slot.state == PartState::kInFlight && slot.copies == 0) {
    slot.state = PartState::kPending;
    requeued_.push_back(index);
    std::push_heap(requeued_.begin(), requeued_.end(), std::greater<>());
  }
  return {};
}

std::vector<Part> PartPlanner::take_received() {
  std::sort(received_.begin(), received_.end());
  std::vector<Part> taken;
  taken.reserve(received_.size());
  for (const std::uint32_t index : received_) {
    parts_[index].state = PartState::kSyncing;
    taken.push_back(part(index));
  }
  received_.clear();
  return taken;
}

mtp::Status PartPlanner::mark_durable(std::span<const Part> parts) {
  for (const Part& p : parts) {
    MTP_TRY(check_index(p.index));
    if (parts_[p.index].state != PartState::kSyncing || p != part(p.index)) {
      return Error::local(kErrInvalidArgument, "PLAN_NOT_SYNCING",
                          "part " + std::to_string(p.index) + " was not taken for this sync");
    }
  }
  for (const Part& p : parts) {
    Slot& slot = parts_[p.index];
    if (slot.state != PartState::kSyncing) continue;  // listed twice
    slot.state = PartState::kDurable;
    --received_parts_;
    ++durable_parts_;
    bytes_received_ -= p.length;
    bytes_durable_ += p.length;
  }
  return {};
}

}  // namespace tgget::engine
