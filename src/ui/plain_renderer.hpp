#pragma once
// For logs and pipes (--progress plain, or auto off a terminal): a line when a file starts, ends,
// is skipped, fails or has to wait, and a progress line every `interval` while files are active.
// Nothing but printable text and newlines: no colours, no carriage returns, no escapes.
#include <chrono>
#include <ostream>

#include "ui/batch_tracker.hpp"
#include "ui/renderer.hpp"

namespace tgget::ui {

struct PlainOptions {
  std::chrono::milliseconds interval{5000};
};

class PlainRenderer final : public Renderer {
 public:
  PlainRenderer(std::ostream& out, PlainOptions options) : out_(out), options_(options) {}
  void on_event(const Event& event, TimePoint now) override;
  void tick(TimePoint now) override;
  void print_above(std::string_view line) override;

 private:
  void progress_if_due(TimePoint now);

  std::ostream& out_;
  PlainOptions options_;
  BatchTracker tracker_;
  std::optional<TimePoint> last_progress_;
};

// -q and --progress none: errors only, one line each.
class ErrorsOnlyRenderer final : public Renderer {
 public:
  explicit ErrorsOnlyRenderer(std::ostream& out) : out_(out) {}
  void on_event(const Event& event, TimePoint now) override;
  void print_above(std::string_view line) override;

 private:
  std::ostream& out_;
  BatchTracker tracker_;  // for the names of failed files
};

}  // namespace tgget::ui
