#include "log/logger.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <vector>

#include "core/log_sink.hpp"
#include "log/redact.hpp"

namespace tgget::log {
namespace {

// The registry of secret values and the display hook: process-wide, as the logger is.
std::mutex g_mutex;
std::vector<std::string> g_secrets;
LineHook g_hook;
std::shared_ptr<spdlog::logger> g_logger;

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
    case Level::kOff: return spdlog::level::off;
  }
  return spdlog::level::warn;
}

// stderr, or the live display's hook while one runs: "tgget: warning: event key=value".
class StderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t text;
    formatter_->format(msg, text);
    std::string line(text.data(), text.size());
    while (!line.empty() && line.back() == '\n') line.pop_back();
    LineHook hook;
    {
      std::lock_guard lock(g_mutex);
      hook = g_hook;
    }
    if (hook) {
      hook(line);
    } else {
      line += '\n';
      (void)!::write(STDERR_FILENO, line.data(), line.size());
    }
  }
  void flush_() override {}
};

// The file is ours alone: created 0600, and tightened when it already existed looser.
mtp::Status prepare_log_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return mtp::Error::local(mtp::kErrIo, "LOG_FILE", path.string() + ": cannot create");
  const bool tightened = ::fchmod(fd, 0600) == 0;
  ::close(fd);
  if (!tightened) return mtp::Error::local(mtp::kErrIo, "LOG_FILE", path.string() + ": cannot set mode 0600");
  return {};
}

Level from_mtp(mtp::LogLevel level) {
  switch (level) {
    case mtp::LogLevel::kDebug: return Level::kDebug;
    case mtp::LogLevel::kInfo: return Level::kInfo;
    case mtp::LogLevel::kWarn: return Level::kWarn;
  }
  return Level::kInfo;
}

void emit(Level level, std::string line) {
  std::shared_ptr<spdlog::logger> logger;
  {
    std::lock_guard lock(g_mutex);
    logger = g_logger;
    line = scrub(std::move(line), g_secrets);
  }
  if (logger) logger->log(to_spdlog(level), "{}", line);
}

// The protocol library's events: its keys are runtime strings, so they are redacted here, by key
// and by registered value, exactly like ours.
void from_protocol(mtp::LogLevel level, std::string_view event, std::initializer_list<mtp::LogField> fields) {
  if (!enabled(from_mtp(level))) return;
  std::string line = "mtproto." + std::string(event);
  for (const auto& f : fields) {
    std::string value = std::holds_alternative<std::int64_t>(f.value) ? std::to_string(std::get<std::int64_t>(f.value))
                                                                      : std::string(std::get<std::string_view>(f.value));
    line += field_text(f.key, std::move(value));
  }
  emit(from_mtp(level), std::move(line));
}

}  // namespace

Level level_for_verbosity(int verbosity) {
  if (verbosity <= 0) return Level::kWarn;
  if (verbosity == 1) return Level::kInfo;
  return Level::kDebug;
}

mtp::Status init(const LogOptions& options) {
  std::shared_ptr<spdlog::sinks::sink> sink;
  if (options.file) {
    MTP_TRY(prepare_log_file(*options.file));
    try {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file->string(), false);
    } catch (const spdlog::spdlog_ex& e) {
      return mtp::Error::local(mtp::kErrIo, "LOG_FILE", options.file->string() + ": " + e.what());
    }
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  } else {
    sink = std::make_shared<StderrSink>();
    sink->set_pattern("tgget: %l: %v");
  }
  auto logger = std::make_shared<spdlog::logger>("tgget", sink);
  logger->set_level(to_spdlog(options.level));
  logger->flush_on(spdlog::level::debug);  // a crash must not lose the lines that explain it
  {
    std::lock_guard lock(g_mutex);
    g_logger = std::move(logger);
  }
  mtp::set_log_sink(&from_protocol);
  return {};
}

void set_display_hook(LineHook hook) {
  std::lock_guard lock(g_mutex);
  g_hook = std::move(hook);
}

void shutdown() {
  mtp::set_log_sink(nullptr);
  std::lock_guard lock(g_mutex);
  if (g_logger) g_logger->flush();
  g_logger.reset();
}

bool enabled(Level level) {
  std::lock_guard lock(g_mutex);
  return g_logger && g_logger->should_log(to_spdlog(level));
}

void write(Level level, Name event, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::vector<std::string> secrets;
  {
    std::lock_guard lock(g_mutex);
    secrets = g_secrets;
  }
  emit(level, format_line(event.view(), fields, secrets));
}

void add_secret(std::string_view value) {
  if (value.size() < 4) return;
  std::lock_guard lock(g_mutex);
  g_secrets.emplace_back(value);
}

}  // namespace tgget::log
