#pragma once
// --json: one JSON object per line and nothing else, for scripts reading stdout. Every object has
// "type": start, progress (at most once per `progress_interval` per file), retry, wait, done,
// skipped, error, summary. Log lines never go here (print_above drops them: they are on stderr).
#include <chrono>
#include <map>
#include <ostream>

#include "ui/renderer.hpp"

namespace tgget::ui {

struct JsonOptions {
  std::chrono::milliseconds progress_interval{1000};
};

class JsonRenderer final : public Renderer {
 public:
  JsonRenderer(std::ostream& out, JsonOptions options) : out_(out), options_(options) {}
  void on_event(const Event& event, TimePoint now) override;
  void print_above(std::string_view) override {}

 private:
  std::ostream& out_;
  JsonOptions options_;
  std::map<FileId, TimePoint> last_progress_;
  std::map<FileId, std::uint64_t> sizes_;
};

}  // namespace tgget::ui
