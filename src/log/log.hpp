#pragma once
// tgget's logging API: a fixed event name and structured fields, never a formatted message, so a
// secret cannot be pasted into a log line by accident. Every line also passes redact(): fields
// whose key names a secret (password, code, api_hash, auth_key, session, token ...) are written as
// <redacted>, and any value registered with add_secret() is blanked wherever it shows up.
//
//   log::info("rpc_error", {{"dc", 2}, {"type", "FLOOD_WAIT"}, {"value", 35}});
//   -> "info rpc_error dc=2 type=FLOOD_WAIT value=35"
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace tgget::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

// An event name or field key: a string literal only (consteval), never runtime text.
class Name {
 public:
  template <std::size_t N>
  consteval Name(const char (&text)[N]) : text_(text, N - 1) {}  // NOLINT: implicit by design
  constexpr std::string_view view() const { return text_; }

 private:
  std::string_view text_;
};

using Value = std::variant<std::int64_t, std::uint64_t, double, bool, std::string>;

struct Field {
  Name key;
  Value value;
  // Integers of any width and strings convert without ceremony.
  template <class T>
  Field(Name k, T v) : key(k), value(convert(std::move(v))) {}

 private:
  template <class T>
  static Value convert(T v) {
    if constexpr (std::is_same_v<T, bool>) return v;
    else if constexpr (std::is_floating_point_v<T>) return static_cast<double>(v);
    else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) return static_cast<std::int64_t>(v);
    else if constexpr (std::is_integral_v<T>) return static_cast<std::uint64_t>(v);
    else return std::string(v);
  }
};

void write(Level level, Name event, std::initializer_list<Field> fields);
inline void debug(Name event, std::initializer_list<Field> fields = {}) { write(Level::kDebug, event, fields); }
inline void info(Name event, std::initializer_list<Field> fields = {}) { write(Level::kInfo, event, fields); }
inline void warn(Name event, std::initializer_list<Field> fields = {}) { write(Level::kWarn, event, fields); }
inline void error(Name event, std::initializer_list<Field> fields = {}) { write(Level::kError, event, fields); }
bool enabled(Level level);

// A value that must never appear in a log (the api_hash, a password, a login code, a bot token):
// replaced by <redacted> in every later line. Values shorter than 4 bytes are ignored (a code of
// "1" would blank every digit 1); their fields are redacted by key anyway.
void add_secret(std::string_view value);

}  // namespace tgget::log
