#pragma once
// What the human renderers know about a run: every active file (in the order it started) with its
// progress, speed and any wait Telegram imposed, and the totals over the whole batch. Fed the same
// events as the renderer; prints nothing.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ui/events.hpp"
#include "ui/speed_window.hpp"

namespace tgget::ui {

struct ActiveFile {
  FileId id = 0;
  std::string name;  // printable already
  std::uint64_t size = 0;
  std::uint64_t done = 0;
  std::uint64_t order = 0;  // start order: lines keep their place
  SpeedWindow speed;
  std::optional<TimePoint> waiting_until;
  std::string wait_reason;
};

class BatchTracker {
 public:
  // Updates the state; returns the file the event was about when it is (still or until now) known.
  void apply(const Event& event, TimePoint now);

  // Active files in start order.
  std::vector<const ActiveFile*> active() const;
  const ActiveFile* find(FileId id) const;
  // The name a finished/failed file had when it started ("" when it never started).
  std::string name_of(FileId id) const;

  std::uint64_t files_started() const { return started_; }
  std::uint64_t files_finished() const { return done_ + failed_ + skipped_; }
  std::uint64_t files_known() const { return started_ + unstarted_finished_; }
  // Bytes over the files seen so far (finished ones included) and their sizes.
  std::uint64_t bytes_done() const { return finished_bytes_ + active_bytes(); }
  std::uint64_t bytes_total() const { return finished_size_ + active_size(); }
  std::optional<double> bytes_per_second() const { return total_speed_.bytes_per_second(); }

 private:
  std::uint64_t active_bytes() const;
  std::uint64_t active_size() const;

  std::map<FileId, ActiveFile> active_;
  std::map<FileId, std::string> names_;
  SpeedWindow total_speed_;
  std::uint64_t next_order_ = 0, started_ = 0, done_ = 0, failed_ = 0, skipped_ = 0, unstarted_finished_ = 0;
  std::uint64_t finished_bytes_ = 0, finished_size_ = 0;
  // Bytes that were on disk before this run: not part of the speed.
  std::uint64_t resumed_ = 0;
};

}  // namespace tgget::ui
