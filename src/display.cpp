#include "display.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "log/logger.hpp"

namespace tgget {

ui::OutputChoice output_choice(const OutputOptions& output) {
  ui::OutputChoice c;
  c.mode = ui::parse_progress_mode(output.progress).value_or(ui::ProgressMode::kAuto);
  c.json = output.json;
  c.quiet = output.quiet;
  c.err_is_terminal = ::isatty(STDERR_FILENO) == 1;
  c.no_color = std::getenv("NO_COLOR") != nullptr;  // set at all, even empty (no-color.org)
  if (winsize ws{}; ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) c.width = ws.ws_col;
  return c;
}

Display::Display(const OutputOptions& output)
    : renderer_(std::make_shared<ui::LockedRenderer>(ui::make_renderer(output_choice(output), std::cout, std::cerr))) {
  // The hook holds the renderer too: a line logged from another thread while we are destroyed
  // still has a renderer to go to.
  log::set_display_hook([r = renderer_](std::string_view line) { r->print_above(line); });
}

Display::~Display() { log::set_display_hook(nullptr); }

}  // namespace tgget
