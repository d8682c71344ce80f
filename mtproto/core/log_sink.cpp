#include "core/log_sink.hpp"

#include <atomic>

namespace mtp {
namespace {

std::atomic<LogSink> g_sink{nullptr};

}  // namespace

void set_log_sink(LogSink sink) { g_sink.store(sink); }

void log_event(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (LogSink sink = g_sink.load()) sink(level, event, fields);
}

}  // namespace mtp
