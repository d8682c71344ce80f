#pragma once
// The live display on a terminal: one line per active file (name cut to the width, percentage,
// speed over the last seconds, ETA) and a total line, redrawn in place with ANSI cursor-up/erase
// at most every `min_redraw` (events in between only update the state). Finished files, errors
// and log lines are printed above the live lines and stay (with the next frame); the summary ends
// the display.
#include <chrono>
#include <ostream>

#include "ui/batch_tracker.hpp"
#include "ui/renderer.hpp"

namespace tgget::ui {

struct BarOptions {
  std::size_t width = 80;       // terminal columns; every line stays below it (no wrapping)
  bool color = true;            // false when NO_COLOR is set
  std::size_t max_file_lines = 8;  // more active files than this: "... and N more"
  std::chrono::milliseconds min_redraw{100};
};

class BarRenderer final : public Renderer {
 public:
  BarRenderer(std::ostream& out, BarOptions options) : out_(out), options_(options) {}
  void on_event(const Event& event, TimePoint now) override;
  void tick(TimePoint now) override;
  void print_above(std::string_view line) override;

 private:
  std::string erase_block() const;
  std::string block(TimePoint now) const;
  std::string file_line(const ActiveFile& f, TimePoint now) const;
  std::string total_line() const;
  std::string paint(std::string_view text, const char* sgr) const;
  // Erases the live lines, writes `permanent` (complete lines) and draws the live lines again.
  void redraw(TimePoint now, const std::string& permanent);
  void flush(TimePoint now);  // redraw with the pending lines

  std::ostream& out_;
  BarOptions options_;
  BatchTracker tracker_;
  std::size_t drawn_lines_ = 0;
  std::optional<TimePoint> last_draw_;
  std::string pending_;  // lines to print above, waiting for the next frame
  bool finished_ = false;
  std::uint64_t retries_ = 0;
};

}  // namespace tgget::ui
