#pragma once
// Which renderer a command line asks for. The caller finds out what the terminal is (isatty,
// its width, NO_COLOR) and passes it in: the choice itself is pure and unit-tested.
#include <cstddef>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>

#include "ui/renderer.hpp"

namespace tgget::ui {

enum class ProgressMode { kAuto, kBar, kPlain, kNone };

// "auto" | "bar" | "plain" | "none"; nullopt for anything else.
std::optional<ProgressMode> parse_progress_mode(std::string_view text);

struct OutputChoice {
  ProgressMode mode = ProgressMode::kAuto;
  bool json = false;   // --json: the JSON lines on `out`, errors only on `err`
  bool quiet = false;  // -q: errors only, whatever the mode
  bool err_is_terminal = false;
  bool no_color = false;  // NO_COLOR set (to anything, https://no-color.org)
  std::size_t width = 80;
};

// What auto means: the bar on a terminal, plain lines otherwise. -q and --json win over the mode.
ProgressMode effective_mode(const OutputChoice& choice);

// The renderer for `choice`: JSON lines go to `out` (stdout), everything for people to `err`.
std::unique_ptr<Renderer> make_renderer(const OutputChoice& choice, std::ostream& out, std::ostream& err);

}  // namespace tgget::ui
