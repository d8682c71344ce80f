#include "ui/bar_renderer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ui/text.hpp"

namespace tgget::ui {
namespace {

constexpr const char* kGreen = "32";
constexpr const char* kRed = "31";
constexpr const char* kYellow = "33";
constexpr const char* kBold = "1";

double percent(std::uint64_t done, std::uint64_t size) {
  if (size == 0) return done ? 100.0 : 0.0;
  return std::min(100.0, 100.0 * static_cast<double>(done) / static_cast<double>(size));
}

}  // namespace

std::string BarRenderer::paint(std::string_view text, const char* sgr) const {
  if (!options_.color) return std::string(text);
  return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
}

std::string BarRenderer::erase_block() const {
  // The cursor sits at the start of the line below the live lines: up, then erase to the end.
  if (drawn_lines_ == 0) return {};
  return fmt::format("\x1b[{}A\r\x1b[J", drawn_lines_);
}

std::string BarRenderer::file_line(const ActiveFile& f, TimePoint now) const {
  std::string status;
  if (f.waiting_until && now < *f.waiting_until) {
    const double left = std::chrono::duration<double>(*f.waiting_until - now).count();
    status = fmt::format("{:5.1f}%  waiting {:.0f} s ({})", percent(f.done, f.size), std::ceil(left), f.wait_reason);
  } else {
    const auto speed = f.speed.bytes_per_second();
    const std::uint64_t left = f.size > f.done ? f.size - f.done : 0;
    status = fmt::format("{:5.1f}% {:>10}  ETA {}", percent(f.done, f.size), format_speed(speed), format_eta(left, speed));
  }
  // Name first, cut so the whole line fits one column short of the width (no auto-wrap).
  const std::size_t room = options_.width > columns_of(status) + 3 ? options_.width - columns_of(status) - 3 : 1;
  std::string name = truncate_to(f.name, room);
  const std::size_t pad = room > columns_of(name) ? room - columns_of(name) : 0;
  std::string line = name + std::string(pad + 1, ' ') + status;
  return truncate_to(line, options_.width - 1);
}

std::string BarRenderer::total_line() const {
  const auto speed = tracker_.bytes_per_second();
  const std::uint64_t total = tracker_.bytes_total(), done = tracker_.bytes_done();
  std::string line = fmt::format("total {}/{} files  {} / {}  {:5.1f}%  {}  ETA {}", tracker_.files_finished(),
                                 tracker_.files_known(), format_bytes(done), format_bytes(total), percent(done, total),
                                 format_speed(speed), format_eta(total > done ? total - done : 0, speed));
  if (retries_) line += fmt::format("  {} retries", retries_);
  return paint(truncate_to(line, options_.width - 1), kBold);
}

std::string BarRenderer::block(TimePoint now) const {
  std::string text;
  const auto files = tracker_.active();
  std::size_t shown = 0;
  for (const ActiveFile* f : files) {
    if (shown == options_.max_file_lines) break;
    std::string line = file_line(*f, now);
    text += (f->waiting_until && now < *f->waiting_until ? paint(line, kYellow) : line) + "\n";
    ++shown;
  }
  if (files.size() > shown) text += fmt::format("... and {} more\n", files.size() - shown);
  return text + total_line() + "\n";
}

void BarRenderer::redraw(TimePoint now, const std::string& permanent) {
  std::string frame = erase_block() + permanent;
  if (!finished_) {
    const std::string live = block(now);
    frame += live;
    drawn_lines_ = static_cast<std::size_t>(std::count(live.begin(), live.end(), '\n'));
  } else {
    drawn_lines_ = 0;
  }
  last_draw_ = now;
  // One write per frame: the terminal never shows half of one.
  out_ << frame << std::flush;
}

void BarRenderer::on_event(const Event& event, TimePoint now) {
  if (finished_) return;
  std::string permanent;
  if (const auto* e = std::get_if<FileDone>(&event)) {
    std::string line = fmt::format("done {}  {}{}", printable(e->path), format_bytes(e->size),
                                   e->verified ? "  verified" : fmt::format("  {} unverified", format_bytes(e->unverified_bytes)));
    permanent = paint(line, kGreen) + "\n";
  } else if (const auto* e = std::get_if<FileSkipped>(&event)) {
    permanent = fmt::format("skipped {}: {}\n", printable(e->name), printable(e->why));
  } else if (const auto* e = std::get_if<FileFailed>(&event)) {
    std::string line = fmt::format("error {}: {}", printable(e->name.empty() ? tracker_.name_of(e->id) : e->name),
                                   printable(e->message));
    if (e->retry_after) line += fmt::format(" (retry after {:.0f} s)", *e->retry_after);
    permanent = paint(line, kRed) + "\n";
  } else if (std::holds_alternative<FileRetry>(event)) {
    ++retries_;
  } else if (const auto* e = std::get_if<Summary>(&event)) {
    finished_ = true;
    permanent = paint(summary_text(*e), kBold) + "\n";
  }
  tracker_.apply(event, now);
  pending_ += permanent;
  // A frame at most every min_redraw, even when 500 small files finish in a second: their lines
  // wait for the next frame. The summary ends the display at once.
  const bool due = !last_draw_ || now - *last_draw_ >= options_.min_redraw;
  if (due || finished_) flush(now);
}

void BarRenderer::tick(TimePoint now) {
  if (finished_) return;
  if (!last_draw_ || now - *last_draw_ >= options_.min_redraw) flush(now);
}

void BarRenderer::flush(TimePoint now) {
  std::string permanent = std::move(pending_);
  pending_.clear();
  redraw(now, permanent);
}

void BarRenderer::print_above(std::string_view line) {
  std::string text = printable(line);
  // Log lines are rare and may explain an error: shown at once, with what waited for the frame.
  if (finished_ || !last_draw_) {
    out_ << text << '\n' << std::flush;
    return;
  }
  pending_ += text + "\n";
  flush(*last_draw_);
}

}  // namespace tgget::ui
