#include "ui/plain_renderer.hpp"

#include <fmt/format.h>

#include "ui/text.hpp"

namespace tgget::ui {
namespace {

std::string error_line(const FileFailed& e, const std::string& fallback_name) {
  std::string line = fmt::format("error {}: {}", printable(e.name.empty() ? fallback_name : e.name), printable(e.message));
  if (!e.code.empty()) line += fmt::format(" [{}]", printable(e.code));
  if (e.retry_after) line += fmt::format(" (retry after {:.0f} s)", *e.retry_after);
  return line;
}

}  // namespace

void PlainRenderer::on_event(const Event& event, TimePoint now) {
  std::string line;
  if (const auto* e = std::get_if<FileStarted>(&event)) {
    line = fmt::format("start {} ({})", printable(e->name), format_bytes(e->size));
    if (e->resumed_bytes) line += fmt::format(", resuming at {}", format_bytes(e->resumed_bytes));
  } else if (const auto* e = std::get_if<FileWaiting>(&event)) {
    line = fmt::format("wait {}: {:.0f} s ({})", tracker_.name_of(e->id), e->seconds, printable(e->reason));
  } else if (const auto* e = std::get_if<FileDone>(&event)) {
    line = fmt::format("done {} ({}, {})", printable(e->path), format_bytes(e->size),
                       e->verified ? "verified" : format_bytes(e->unverified_bytes) + " unverified");
  } else if (const auto* e = std::get_if<FileSkipped>(&event)) {
    line = fmt::format("skipped {}: {}", printable(e->name), printable(e->why));
  } else if (const auto* e = std::get_if<FileFailed>(&event)) {
    line = error_line(*e, tracker_.name_of(e->id));
  } else if (const auto* e = std::get_if<Summary>(&event)) {
    line = summary_text(*e);
  }
  tracker_.apply(event, now);
  if (!line.empty()) out_ << line << '\n';
  if (std::holds_alternative<FileStarted>(event) && !last_progress_) last_progress_ = now;
  if (std::holds_alternative<FileProgress>(event)) progress_if_due(now);
  out_.flush();
}

void PlainRenderer::tick(TimePoint now) {
  progress_if_due(now);
  out_.flush();
}

void PlainRenderer::progress_if_due(TimePoint now) {
  const auto files = tracker_.active();
  if (files.empty()) return;
  if (last_progress_ && now - *last_progress_ < options_.interval) return;
  last_progress_ = now;
  const std::uint64_t done = tracker_.bytes_done(), total = tracker_.bytes_total();
  const auto speed = tracker_.bytes_per_second();
  const double pct = total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 0.0;
  out_ << fmt::format("progress {:.1f}% {} / {}, {}, ETA {}, {} active, {}/{} files finished\n", pct,
                      format_bytes(done), format_bytes(total), format_speed(speed),
                      format_eta(total > done ? total - done : 0, speed), files.size(), tracker_.files_finished(),
                      tracker_.files_known());
}

void PlainRenderer::print_above(std::string_view line) {
  out_ << printable(line) << '\n' << std::flush;
}

void ErrorsOnlyRenderer::on_event(const Event& event, TimePoint now) {
  if (const auto* e = std::get_if<FileFailed>(&event)) out_ << error_line(*e, tracker_.name_of(e->id)) << '\n' << std::flush;
  tracker_.apply(event, now);
}

void ErrorsOnlyRenderer::print_above(std::string_view line) { out_ << printable(line) << '\n' << std::flush; }

}  // namespace tgget::ui
