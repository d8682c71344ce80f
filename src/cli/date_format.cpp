#include "cli/date_format.hpp"

#include <fmt/format.h>

#include "cli/civil_time.hpp"

namespace tgget::cli {

namespace {

constexpr std::string_view kConversions = "YymdHMSjFTs%";

}  // namespace

std::optional<std::string> date_format_problem(std::string_view format) {
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 == format.size()) return std::string("a '%' at the end of the date format");
    if (kConversions.find(format[i + 1]) == std::string_view::npos) {
      return fmt::format("unknown date conversion '%{}' (known: %Y %y %m %d %H %M %S %j %F %T %s %%)",
                         static_cast<unsigned char>(format[i + 1]) < 0x20 ? '?' : format[i + 1]);
    }
    ++i;
  }
  return std::nullopt;
}

std::string format_date(std::string_view format, std::int64_t unix_seconds) {
  const CivilTime t = civil_from_unix(unix_seconds);
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      out += format[i];
      continue;
    }
    switch (format[++i]) {
      case 'Y': out += fmt::format("{:04}", t.year); break;
      case 'y': out += fmt::format("{:02}", (t.year % 100 + 100) % 100); break;
      case 'm': out += fmt::format("{:02}", t.month); break;
      case 'd': out += fmt::format("{:02}", t.day); break;
      case 'H': out += fmt::format("{:02}", t.hour); break;
      case 'M': out += fmt::format("{:02}", t.minute); break;
      case 'S': out += fmt::format("{:02}", t.second); break;
      case 'j': out += fmt::format("{:03}", t.day_of_year); break;
      case 'F': out += fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day); break;
      case 'T': out += fmt::format("{:02}:{:02}:{:02}", t.hour, t.minute, t.second); break;
      case 's': out += fmt::format("{}", unix_seconds); break;
      case '%': out += '%'; break;
      default: out += '%', out += format[i]; break;  // not reached for a checked format
    }
  }
  return out;
}

}  // namespace tgget::cli
