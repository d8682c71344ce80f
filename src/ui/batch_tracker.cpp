#include "ui/batch_tracker.hpp"
#include "ui/overloaded.hpp"

#include <algorithm>
#include <chrono>

#include "ui/text.hpp"

namespace tgget::ui {

void BatchTracker::apply(const Event& event, TimePoint now) {
  // A file leaves the active set: its bytes move to the finished totals.
  auto finish = [&](FileId id, std::optional<std::uint64_t> final_size) {
    auto it = active_.find(id);
    if (it == active_.end()) {
      ++unstarted_finished_;
      if (final_size) finished_bytes_ += *final_size, finished_size_ += *final_size;
      return;
    }
    const std::uint64_t size = final_size.value_or(it->second.size);
    finished_bytes_ += final_size ? size : it->second.done;
    finished_size_ += final_size ? size : it->second.done;
    active_.erase(it);
  };
  std::visit(Overloaded{
                 [&](const FileStarted& e) {
                   ActiveFile f;
                   f.id = e.id;
                   f.name = printable(e.name);
                   f.size = e.size;
                   f.done = std::min(e.resumed_bytes, e.size ? e.size : e.resumed_bytes);
                   f.order = next_order_++;
                   f.speed.add(now, f.done);
                   names_[e.id] = f.name;
                   resumed_ += f.done;
                   active_.insert_or_assign(e.id, std::move(f));
                   ++started_;
                 },
                 [&](const FileProgress& e) {
                   auto it = active_.find(e.id);
                   if (it == active_.end()) return;
                   it->second.done = e.bytes_done;
                   it->second.speed.add(now, e.bytes_done);
                   if (it->second.waiting_until && now >= *it->second.waiting_until) it->second.waiting_until.reset();
                 },
                 [&](const FileWaiting& e) {
                   auto it = active_.find(e.id);
                   if (it == active_.end()) return;
                   it->second.waiting_until = now + std::chrono::duration_cast<Clock::duration>(
                                                        std::chrono::duration<double>(e.seconds));
                   it->second.wait_reason = printable(e.reason);
                 },
                 [&](const FileRetry&) {},
                 [&](const FileDone& e) {
                   finish(e.id, e.size);
                   ++done_;
                 },
                 [&](const FileSkipped& e) {
                   finish(e.id, std::nullopt);
                   ++skipped_;
                 },
                 [&](const FileFailed& e) {
                   finish(e.id, std::nullopt);
                   ++failed_;
                 },
                 [&](const Summary&) {},
             },
             event);
  // The batch's speed counts bytes fetched in this run only.
  const std::uint64_t fetched = bytes_done() > resumed_ ? bytes_done() - resumed_ : 0;
  total_speed_.add(now, fetched);
}

std::vector<const ActiveFile*> BatchTracker::active() const {
  std::vector<const ActiveFile*> files;
  for (const auto& [id, f] : active_) files.push_back(&f);
  std::sort(files.begin(), files.end(), [](auto* a, auto* b) { return a->order < b->order; });
  return files;
}

const ActiveFile* BatchTracker::find(FileId id) const {
  auto it = active_.find(id);
  return it == active_.end() ? nullptr : &it->second;
}

std::string BatchTracker::name_of(FileId id) const {
  auto it = names_.find(id);
  return it == names_.end() ? std::string() : it->second;
}

std::uint64_t BatchTracker::active_bytes() const {
  std::uint64_t n = 0;
  for (const auto& [id, f] : active_) n += f.done;
  return n;
}

std::uint64_t BatchTracker::active_size() const {
  std::uint64_t n = 0;
  for (const auto& [id, f] : active_) n += std::max(f.size, f.done);
  return n;
}

}  // namespace tgget::ui
