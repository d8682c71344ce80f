#include "download_command.hpp"

#include <unistd.h>

#include <csignal>
#include <chrono>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <asio/co_spawn.hpp>
#include <asio/this_coro.hpp>

#include "core/async_semaphore.hpp"
#include "download_job.hpp"
#include "engine/wakeup.hpp"

namespace tgget {
namespace {

using mtp::client::Client;
using Clock = std::chrono::steady_clock;

struct DownloadFlags {
  std::vector<std::string> links;
  std::string output;
  bool no_verify = false;
  int connections = 2;
};

std::string hex(const mtp::Int256& d) {
  std::string s;
  for (auto b : d) s += fmt::format("{:02x}", b);
  return s;
}

// A plain progress line on stderr: redrawn in place on a terminal (at most 10 times a second),
// a line every 5 s otherwise; nothing with -q or --json.
class ProgressLine {
 public:
  ProgressLine(const OutputOptions& output, std::string name)
      : enabled_(!output.quiet && !output.json), tty_(::isatty(STDERR_FILENO) == 1), name_(std::move(name)) {}

  void update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - last_ < (tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000)) && done != total) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? static_cast<double>(done) / secs / 1e6 : 0;
    const double pct = total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
    const std::string line = fmt::format("{}: {:5.1f}% {:.1f}/{:.1f} MB, {:.1f} MB/s", name_, pct, done / 1e6, total / 1e6, rate);
    if (tty_) fmt::print(stderr, "\r\x1b[K{}", line);
    else fmt::print(stderr, "{}\n", line);
    drawn_ = true;
  }
  void end() {
    if (enabled_ && tty_ && drawn_) fmt::print(stderr, "\n");
  }

 private:
  bool enabled_, tty_;
  std::string name_;
  Clock::time_point start_ = Clock::now(), last_{};
  bool drawn_ = false;
};

void print_outcome(const JobOutcome& o, const OutputOptions& output) {
  const bool verified = o.report.unverified_bytes == 0;
  if (output.json) {
    nlohmann::json j{{"event", o.already_done ? "skipped" : "done"},
                     {"path", o.path.string()},
                     {"size", o.size},
                     {"sha256", hex(o.sha256)},
                     {"verified", verified},
                     {"unverified_bytes", o.report.unverified_bytes},
                     {"resumed_bytes", o.resumed_bytes},
                     {"retries", o.report.retries},
                     {"reissued", o.report.reissued},
                     {"hash_mismatches", o.report.hash_mismatches},
                     {"reference_refreshes", o.report.reference_refreshes},
                     {"waited_s", o.report.waited_s}};
    if (o.already_done) j["why"] = "already downloaded";
    fmt::print("{}\n", j.dump());
    return;
  }
  if (output.quiet) return;
  if (o.already_done) {
    fmt::print(stderr, "{}: already downloaded\n", o.path.string());
    return;
  }
  std::string extra;
  if (o.resumed) extra += fmt::format(", resumed at {:.1f} MB", o.resumed_bytes / 1e6);
  if (!verified) extra += fmt::format(", unverified: {:.1f} MiB", o.report.unverified_bytes / 1048576.0);
  if (o.report.retries) extra += fmt::format(", {} retries", o.report.retries);
  if (o.report.waited_s > 0) extra += fmt::format(", {:.0f} s waiting for Telegram", o.report.waited_s);
  fmt::print(stderr, "{}: {:.1f} MB{}{}\n", o.path.string(), o.size / 1e6, verified ? ", verified" : "", extra);
}

engine::DownloadOptions engine_options(const DownloadFlags& f) {
  engine::DownloadOptions o;
  o.verify = !f.no_verify;
  return o;
}

engine::PoolOptions pool_options(const DownloadFlags& f) {
  engine::PoolOptions o;
  o.sessions = f.connections;
  return o;
}

using Item = std::pair<std::string, std::filesystem::path>;
using Items = std::vector<Item>;

// What the items of one command share while they run.
struct Batch {
  engine::Engine& engine;
  mtp::AsyncSemaphore& active;
  OutputOptions output;
  bool show_progress = false;
  std::optional<mtp::Error> first_failure;
  bool cancelled = false;
  std::size_t failures = 0;
};

// One (link, output). A coroutine function, not a lambda: its arguments live in its frame.
asio::awaitable<void> run_item(Batch& batch, Item item) {
  auto slot = co_await batch.active.acquire();
  if (batch.cancelled) co_return;
  const auto& [link, path] = item;
  OutputOptions progress_output = batch.output;
  if (!batch.show_progress) progress_output.quiet = true;
  ProgressLine progress(progress_output, path.empty() ? link : path.filename().string());
  JobEvents events;
  events.progress = [&progress](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
  const OutputOptions output = batch.output;
  events.notice = [output](const std::string& text) {
    if (!output.quiet) fmt::print(stderr, "tgget: {}\n", text);
  };
  auto outcome = co_await run_download(batch.engine, link, path, events);
  progress.end();
  if (outcome) {
    print_outcome(*outcome, batch.output);
  } else if (outcome.error().code == mtp::kErrCancelled) {
    batch.cancelled = true;
  } else {
    fmt::print(stderr, "tgget: {}: {}\n", link, outcome.error().to_string());
    if (!batch.first_failure) batch.first_failure = outcome.error();
    ++batch.failures;
  }
}

// Runs every (link, output) over one engine, several at once (each DC's small/large queue limits
// decide how many download together); results are printed as they finish. The first failure is
// the command's result; the others still run.
asio::awaitable<mtp::Status> download_all(Client& client, const Settings& settings, Items items,
                                          engine::PoolOptions pool, engine::DownloadOptions options,
                                          OutputOptions output) {
  MTP_CO_TRY(co_await client.start());
  if (!client.logged_in()) co_return mtp::Error::rpc(401, "AUTH_KEY_UNREGISTERED");
  auto store = storage::JobStore::open(settings.home());
  if (!store) co_return store.error();
  auto executor = co_await asio::this_coro::executor;
  engine::Engine engine(executor, client, **store, pool, options);

  // Items being resolved or downloaded at once: enough to keep every queue of a DC busy while the
  // next ones resolve, few enough that a list of thousands does not fetch thousands of messages.
  mtp::AsyncSemaphore active(2 * (pool.small_files_at_once + pool.large_files_at_once));
  Batch batch{engine, active, output, items.size() == 1, std::nullopt, false, 0};
  engine::Wakeup finished(executor);
  std::size_t running = 0;
  for (auto& item : items) {
    ++running;
    asio::co_spawn(executor, run_item(batch, std::move(item)), [&](std::exception_ptr e) {
      if (e) {
        if (!batch.first_failure) batch.first_failure = mtp::Error::local(mtp::kErrInternal, "CRASH", "a download task threw");
        ++batch.failures;
      }
      --running;
      finished.notify();
    });
  }
  while (running > 0) co_await finished.wait_until(std::chrono::steady_clock::now() + std::chrono::hours(1));
  if (batch.cancelled) co_return mtp::Error::local(mtp::kErrCancelled, "INTERRUPTED", "stopped");
  if (batch.failures > 0 && items.size() == 1) {
    mtp::Error e = *batch.first_failure;
    e.detail = "reported above";
    co_return e;
  }
  if (batch.failures > 0) {
    // Some items failed for good, the rest are done: exit 1, each failure reported above.
    co_return mtp::Error::local(mtp::kErrInternal, "ITEMS_FAILED",
                                std::to_string(batch.failures) + " of " + std::to_string(items.size()) + " failed");
  }
  co_return mtp::Status{};
}

}  // namespace

void add_download_commands(CLI::App& app, const SettingsFactory& make_settings, const OutputOptions& output,
                           int& exit_code) {
  // A file-size limit (ulimit -f) must fail a write, not kill the process: the sink reports it.
  std::signal(SIGXFSZ, SIG_IGN);
  auto flags = std::make_shared<DownloadFlags>();
  auto* download = app.add_subcommand("download", "download the file of a message (t.me/CHANNEL/MESSAGE)");
  download->add_option("link", flags->links, "t.me/CHANNEL/MESSAGE")->required();
  download->add_option("-o,--output", flags->output, "the file to write (one link); default: CHANNEL_MESSAGE_NAME here");
  download->add_flag("--no-verify", flags->no_verify, "do not check parts against Telegram's SHA-256 hashes");
  download->add_option("--connections", flags->connections, "download sessions per DC (default 2)")
      ->check(CLI::Range(1, 16));
  download->callback([&make_settings, &output, &exit_code, flags] {
    if (!flags->output.empty() && flags->links.size() != 1) {
      fmt::print(stderr, "tgget: -o names one file; give one link (or none of -o)\n");
      exit_code = kExitUsage;
      return;
    }
    auto made = make_settings();
    if (!made) {
      exit_code = report_error("settings", made.error());
      return;
    }
    Settings s = std::move(*made);
    Items items;
    for (const auto& l : flags->links) items.emplace_back(l, flags->output);
    const auto options = engine_options(*flags);
    const auto pool = pool_options(*flags);
    exit_code = run_with_client(s, [s, items, pool, options, output](Client& client) -> asio::awaitable<mtp::Status> {
      co_return co_await download_all(client, s, items, pool, options, output);
    });
  });

  auto resume_flags = std::make_shared<DownloadFlags>();
  auto* resume = app.add_subcommand("resume", "continue every unfinished download where it stopped");
  resume->add_flag("--no-verify", resume_flags->no_verify, "do not check parts against Telegram's SHA-256 hashes");
  resume->callback([&make_settings, &output, &exit_code, resume_flags] {
    auto made = make_settings();
    if (!made) {
      exit_code = report_error("settings", made.error());
      return;
    }
    Settings s = std::move(*made);
    auto store = storage::JobStore::open(s.home());
    if (!store) {
      exit_code = report_error("job store", store.error());
      return;
    }
    auto jobs = (*store)->unfinished();
    if (!jobs) {
      exit_code = report_error("job store", jobs.error());
      return;
    }
    if (jobs->empty()) {
      if (!output.quiet && !output.json) fmt::print(stderr, "tgget: nothing to resume\n");
      exit_code = kExitOk;
      return;
    }
    Items items;
    for (const auto& j : *jobs) items.emplace_back(j.spec.link, j.spec.output_path);
    store->reset();  // each run opens its own
    const auto options = engine_options(*resume_flags);
    const auto pool = pool_options(*resume_flags);
    exit_code = run_with_client(s, [s, items, pool, options, output](Client& client) -> asio::awaitable<mtp::Status> {
      co_return co_await download_all(client, s, items, pool, options, output);
    });
  });
}

}  // namespace tgget
