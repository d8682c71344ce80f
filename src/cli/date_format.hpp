#pragma once
// The strftime subset of {date:FORMAT}: numeric conversions only, so a name never depends on the
// locale and the output length is bounded by the format's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tgget::cli {

// What is wrong with `format` (an unknown or unfinished conversion), or nothing. Known: %Y %y %m
// %d %H %M %S %j %F (%Y-%m-%d) %T (%H:%M:%S) %s (unix seconds) %%.
std::optional<std::string> date_format_problem(std::string_view format);

// `format` (checked) applied to `unix_seconds` in UTC.
std::string format_date(std::string_view format, std::int64_t unix_seconds);

}  // namespace tgget::cli
