#include "ui/select.hpp"

#include "ui/bar_renderer.hpp"
#include "ui/json_renderer.hpp"
#include "ui/plain_renderer.hpp"

namespace tgget::ui {

std::optional<ProgressMode> parse_progress_mode(std::string_view text) {
  if (text == "auto") return ProgressMode::kAuto;
  if (text == "bar") return ProgressMode::kBar;
  if (text == "plain") return ProgressMode::kPlain;
  if (text == "none") return ProgressMode::kNone;
  return std::nullopt;
}

ProgressMode effective_mode(const OutputChoice& c) {
  // With --json the human stream carries errors only: a script reads stdout, a person the errors.
  if (c.quiet || c.json) return ProgressMode::kNone;
  if (c.mode == ProgressMode::kAuto) return c.err_is_terminal ? ProgressMode::kBar : ProgressMode::kPlain;
  return c.mode;
}

std::unique_ptr<Renderer> make_renderer(const OutputChoice& c, std::ostream& out, std::ostream& err) {
  std::unique_ptr<Renderer> human;
  switch (effective_mode(c)) {
    case ProgressMode::kBar:
      human = std::make_unique<BarRenderer>(err, BarOptions{.width = c.width, .color = !c.no_color});
      break;
    case ProgressMode::kPlain:
      human = std::make_unique<PlainRenderer>(err, PlainOptions{});
      break;
    case ProgressMode::kAuto:
    case ProgressMode::kNone:
      human = std::make_unique<ErrorsOnlyRenderer>(err);
      break;
  }
  if (!c.json) return human;
  return std::make_unique<TeeRenderer>(std::make_unique<JsonRenderer>(out, JsonOptions{}), std::move(human));
}

}  // namespace tgget::ui
