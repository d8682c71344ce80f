#include "ui/text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace tgget::ui {
namespace {

// Length of the UTF-8 sequence starting with `lead`, 0 when `lead` cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

bool is_continuation(unsigned char c) { return (c & 0xc0) == 0x80; }

}  // namespace

std::string format_bytes(std::uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (bytes < 1000) return fmt::format("{} B", bytes);
  if (b < 1e6) return fmt::format("{:.1f} kB", b / 1e3);
  if (b < 1e9) return fmt::format("{:.1f} MB", b / 1e6);
  return fmt::format("{:.2f} GB", b / 1e9);
}

std::string format_speed(std::optional<double> bps) {
  if (!bps) return "--- MB/s";
  return fmt::format("{:.1f} MB/s", *bps / 1e6);
}

std::string format_duration(double seconds) {
  const auto total = static_cast<std::uint64_t>(std::llround(std::max(0.0, seconds)));
  const auto h = total / 3600, m = total / 60 % 60, s = total % 60;
  if (h > 0) return fmt::format("{}:{:02}:{:02}", h, m, s);
  return fmt::format("{}:{:02}", m, s);
}

std::string format_eta(std::uint64_t remaining, std::optional<double> bps) {
  if (remaining == 0) return format_duration(0);
  if (!bps || *bps < 1) return "--:--";
  const double seconds = static_cast<double>(remaining) / *bps;
  if (seconds > 100 * 3600) return "--:--";  // a week-long ETA says nothing
  return format_duration(seconds);
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = sequence_length(c);
    bool ok = n > 0 && i + n <= text.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = is_continuation(static_cast<unsigned char>(text[i + k]));
    if (ok && n == 1 && (c < 0x20 || c == 0x7f)) ok = false;
    // C1 controls (U+0080..U+009F) are CSI and friends on some terminals.
    if (ok && n == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0) ok = false;
    if (!ok) {
      out += '?';
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::size_t columns_of(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += !is_continuation(static_cast<unsigned char>(c));
  return n;
}

std::string truncate_to(std::string_view text, std::size_t columns) {
  if (columns_of(text) <= columns) return std::string(text);
  if (columns == 0) return {};
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!is_continuation(c) && ++used > columns - 1) break;
    out += text[i];
  }
  return out + "…";
}

std::string summary_text(const Summary& s) {
  std::string text = fmt::format("{} done", s.files_done);
  if (s.files_failed) text += fmt::format(", {} failed", s.files_failed);
  if (s.files_skipped) text += fmt::format(", {} skipped", s.files_skipped);
  const std::optional<double> speed = s.seconds > 0 ? std::optional(static_cast<double>(s.bytes) / s.seconds) : std::nullopt;
  text += fmt::format(": {} in {} ({})", format_bytes(s.bytes), format_duration(s.seconds), format_speed(speed));
  if (s.retries) text += fmt::format(", {} {}", s.retries, s.retries == 1 ? "retry" : "retries");
  if (s.waited_s > 0) text += fmt::format(", {:.0f} s waiting for Telegram", s.waited_s);
  return text;
}

}  // namespace tgget::ui
