#pragma once
// The small pieces of text every human renderer prints: sizes, speeds, durations, names made safe
// for a terminal and cut to a width, and the summary sentence.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ui/events.hpp"

namespace tgget::ui {

std::string format_bytes(std::uint64_t bytes);           // "512 B", "1.5 kB", "12.3 MB", "4.00 GB" (SI, like MB/s)
std::string format_speed(std::optional<double> bps);     // "12.3 MB/s", "--- MB/s" when unknown
std::string format_duration(double seconds);             // "0:07", "12:34", "1:02:03"
// Seconds left at the current speed; "--:--" when the speed is unknown or zero.
std::string format_eta(std::uint64_t remaining, std::optional<double> bps);

// A name from Telegram made printable: control characters (ESC, CR, newline, DEL, C1) become '?',
// invalid UTF-8 bytes too, so a hostile name cannot move the cursor or fake a line.
std::string printable(std::string_view text);
// At most `columns` code points; a cut name ends in "…".
std::string truncate_to(std::string_view printable_text, std::size_t columns);
std::size_t columns_of(std::string_view printable_text);

// "3 done, 1 failed, 2 skipped: 456.7 MB in 0:12 (37.1 MB/s), 4 retries, 35 s waiting for Telegram"
std::string summary_text(const Summary& s);

}  // namespace tgget::ui
