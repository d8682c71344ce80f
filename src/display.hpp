#pragma once
// The bridge from the command line to src/ui: what the terminal is (isatty, width, NO_COLOR),
// the renderer the flags ask for, and the log lines routed above the live display while it runs.
#include <memory>

#include "app.hpp"
#include "ui/renderer.hpp"
#include "ui/select.hpp"

namespace tgget {

// Reads the terminal's facts (stderr a terminal? its width, NO_COLOR) into the pure choice.
ui::OutputChoice output_choice(const OutputOptions& output);

// The renderer of one command, on stdout (JSON) and stderr (people). While it lives, log lines
// for stderr are printed through it (above the live lines); destroyed, they go to stderr again.
class Display {
 public:
  explicit Display(const OutputOptions& output);
  ~Display();
  Display(const Display&) = delete;
  Display& operator=(const Display&) = delete;

  ui::Renderer& renderer() { return *renderer_; }
  void emit(const ui::Event& event) { renderer_->on_event(event, ui::Clock::now()); }
  void tick() { renderer_->tick(ui::Clock::now()); }

 private:
  std::shared_ptr<ui::LockedRenderer> renderer_;
};

}  // namespace tgget
