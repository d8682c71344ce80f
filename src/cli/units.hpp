#pragma once
// The values of command-line options that are not links: sizes (--min-size, --max-size,
// --max-bytes), rates (--limit-rate), dates (--since, --until), durations (--max-wait) and the
// media type list (--type). Each is pure; errors are kErrInvalidArgument values whose detail
// quotes the text and says what is accepted.
#include <chrono>
#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace tgget::cli {

// Bytes: "1048576", or a number (a fraction allowed: "1.5G") and a unit, any case, a space
// between allowed. K, M, G, T and KiB, MiB, GiB, TiB are powers of 1024, as curl's --limit-rate
// and aria2 read K and M; KB, MB, GB, TB are powers of 1000, as GNU dd and systemd read them;
// B is bytes. Fractions round down to whole bytes. Above 2^63-1: an error, never a wrap.
// Error: SIZE_INVALID.
mtp::Result<std::int64_t> parse_size(std::string_view text);

// Bytes per second for --limit-rate: a size with an optional "/s" ("5M", "500KB/s"); 0 means no
// limit (as in aria2). Error: RATE_INVALID.
mtp::Result<std::int64_t> parse_rate(std::string_view text);

// A moment and how much time the written precision covers, so "--until 2024-05-31" can include
// the whole day (span 86400): YYYY-MM-DD, YYYY-MM-DDTHH:MM (span 60), YYYY-MM-DDTHH:MM:SS
// (span 1), 'T' or a space between, an optional trailing 'Z'; all in UTC (an offset such as
// +02:00 is refused, not guessed). Digits alone are unix seconds (span 1). Error: DATE_INVALID.
struct Moment {
  std::int64_t unix_seconds = 0;
  std::int64_t span_seconds = 1;
  bool operator==(const Moment&) const = default;
};
mtp::Result<Moment> parse_moment(std::string_view text);

// "30" (seconds), "30s", "5m", "2h", "1d", or several at once ("1h30m"). Error: DURATION_INVALID.
mtp::Result<std::chrono::seconds> parse_duration(std::string_view text);

enum class MediaType : std::uint8_t { kVideo, kAudio, kPhoto, kDocument, kVoice, kRound, kSticker, kAnimation };
std::string_view to_string(MediaType type);  // "video", "audio", ... as --type spells them

// A set of media types (--type video,audio).
class MediaTypes {
 public:
  void add(MediaType type) { bits_ |= bit(type); }
  bool contains(MediaType type) const { return (bits_ & bit(type)) != 0; }
  bool empty() const { return bits_ == 0; }
  bool operator==(const MediaTypes&) const = default;

 private:
  static std::uint32_t bit(MediaType type) { return std::uint32_t{1} << static_cast<unsigned>(type); }
  std::uint32_t bits_ = 0;
};

// "video,audio,photo": comma-separated, any case, spaces around items allowed, repeats harmless.
// Error: TYPE_INVALID naming the unknown item and listing the valid ones.
mtp::Result<MediaTypes> parse_media_types(std::string_view list);

}  // namespace tgget::cli
