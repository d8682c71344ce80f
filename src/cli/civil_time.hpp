#pragma once
// Unix seconds <-> the UTC calendar, for every int64 without overflow (Howard Hinnant's
// days_from_civil / civil_from_days, in 64-bit arithmetic): dates from Telegram are rendered,
// dates on the command line parsed, and neither depends on the time zone or locale.
#include <cstdint>

namespace tgget::cli {

struct CivilTime {
  std::int64_t year = 1970;
  int month = 1, day = 1;        // 1..12, 1..31
  int hour = 0, minute = 0, second = 0;
  int day_of_year = 1;           // 1..366
};

CivilTime civil_from_unix(std::int64_t unix_seconds);

// The days since 1970-01-01 of a valid date (the caller checks month and day).
std::int64_t days_from_civil(std::int64_t year, int month, int day);

int days_in_month(std::int64_t year, int month);

}  // namespace tgget::cli
