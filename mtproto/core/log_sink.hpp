#pragma once
// The protocol library's only way to say what it does (RPC errors, retries, reconnects, DC moves):
// an event name and a few fields, given to a sink the application installs. No sink, no cost
// beyond a branch. The library passes numbers, DC ids and error names only, never key material,
// codes, passwords or payloads; the application's sink redacts again in case one slips in.
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <variant>

namespace mtp {

enum class LogLevel { kDebug, kInfo, kWarn };

struct LogField {
  std::string_view key;
  std::variant<std::int64_t, std::string_view> value;
};

// event: a fixed name such as "rpc_error"; fields valid only during the call.
using LogSink = void (*)(LogLevel level, std::string_view event, std::initializer_list<LogField> fields);

// Process-wide, set once at start-up before any Client runs (nullptr: nothing is logged).
void set_log_sink(LogSink sink);
void log_event(LogLevel level, std::string_view event, std::initializer_list<LogField> fields);

}  // namespace mtp
