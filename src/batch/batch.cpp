#include "batch/batch.hpp"

#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/this_coro.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "batch/exec_hook.hpp"
#include "cli/safe_path.hpp"
#include "cli/unique_name.hpp"
#include "core/async_semaphore.hpp"
#include "download_job.hpp"
#include "engine/wakeup.hpp"
#include "exit_codes.hpp"

namespace tgget::batch {

using mtp::Error;
using mtp::Result;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

// A link that names exactly this file's message, so `tgget resume` finds it again.
std::string single_link(const cli::Link& from, const RemoteFile& file) {
  cli::Link one;
  one.chat = from.chat;
  if (from.comment) {
    one.messages = from.messages;
    one.comment = from.comment;
  } else {
    one.messages = {cli::MessageSelection::Kind::kOne, file.message_id, 0};
  }
  one.single = true;
  return one.to_string();
}

cli::NameFields name_fields(const RemoteFile& f, const cli::Link& link) {
  cli::NameFields n;
  n.chat_username = f.peer.username;
  n.chat_title = f.peer.title;
  n.chat_id = f.peer.id;
  n.message_id = f.message_id;
  if (f.topic_id) n.topic = f.topic_id;
  else if (link.topic) n.topic = *link.topic;
  n.date = f.date;
  n.file_name = f.file_name;
  n.mime_type = f.mime_type;
  n.size = f.size;
  if (f.grouped_id) n.album = f.grouped_id;
  n.caption = f.caption;
  return n;
}

// What one run shares while its items download.
struct Run {
  engine::Engine& engine;
  const BatchOptions& options;
  ui::Renderer& renderer;
  mtp::AsyncSemaphore active;
  BatchResult result;
  std::set<fs::path> claimed;  // output paths given to a file of this run
  std::size_t started = 0;
  std::int64_t started_bytes = 0;
  std::uint64_t bytes = 0, retries = 0;
  double waited_s = 0;
  ui::FileId next_id = 1;

  void failed(ui::FileId id, const std::string& name, const Error& e) {
    ++result.failed;
    if (!result.first_failure) result.first_failure = e;
    if (exit_code_for(e) == kExitTemporary) result.temporary_failure = true;
    std::optional<double> retry_after;
    if (e.code == 420 && e.value) retry_after = static_cast<double>(*e.value);
    renderer.on_event(ui::FileFailed{id, name, e.type.empty() ? std::to_string(e.code) : e.type, e.to_string(), retry_after},
                      Clock::now());
  }
  void skipped(ui::FileId id, const std::string& name, const std::string& why) {
    ++result.skipped;
    renderer.on_event(ui::FileSkipped{id, name, why}, Clock::now());
  }
};

// The file's output path: the exact one asked for, else under the directory (out= or the
// template), moved aside with a numeric suffix when another job or another file has it.
mtp::Result<fs::path> output_path(Run& run, const BatchItem& item, const RemoteFile& file) {
  std::error_code ec;
  if (run.options.stream_dir) return *run.options.stream_dir;  // replaced by a scratch name
  if (item.path) return fs::absolute(*item.path, ec).lexically_normal();
  std::string relative;
  if (item.out) {
    relative = *item.out;
  } else {
    auto rendered = run.options.name.render(name_fields(file, item.link));
    if (!rendered) return rendered.error();
    relative = *rendered;
  }
  MTP_TRY(cli::check_relative_path(relative));
  const fs::path base = fs::absolute(run.options.directory, ec).lexically_normal();
  if (ec) return Error::local(mtp::kErrIo, "FILE_IO", run.options.directory.string() + ": " + ec.message());
  std::optional<Error> store_error;
  auto taken = [&](const std::string& candidate) {
    const fs::path p = base / candidate;
    if (run.claimed.count(p)) return true;
    auto owner = run.engine.store().output_owner(p);
    if (!owner) {
      store_error = owner.error();
      return false;
    }
    if (*owner) {  // a job's file: ours (same message and document) or taken
      const auto& spec = (*owner)->spec;
      return !(spec.peer_id == file.peer.id && spec.message_id == file.message_id && spec.document_id == file.id);
    }
    std::error_code e;
    fs::path part = p;
    part += ".part";
    return fs::exists(p, e) || fs::exists(part, e);  // a file tgget did not write
  };
  auto free = cli::unique_name(relative, taken);
  if (store_error) return *store_error;
  if (!free) return free.error();
  return base / *free;
}

asio::awaitable<void> download_one(Run& run, JobRequest request, ui::FileId id, std::string name) {
  auto slot = co_await run.active.acquire();
  if (run.result.cancelled) co_return;
  JobEvents events;
  ui::Renderer& renderer = run.renderer;
  // Started once bytes move (an item the archive or the job store skips never "starts").
  auto started = std::make_shared<bool>(false);
  const auto size = static_cast<std::uint64_t>(request.file.size);
  auto start = [&renderer, started, id, name, size](std::uint64_t resumed) {
    if (*started) return;
    *started = true;
    renderer.on_event(ui::FileStarted{id, name, size, resumed}, Clock::now());
  };
  events.progress = [&renderer, start, id](std::uint64_t done, std::uint64_t) {
    start(0);
    renderer.on_event(ui::FileProgress{id, done}, Clock::now());
  };
  events.notice = [&renderer](const std::string& text) { renderer.print_above("tgget: " + text); };
  const RemoteFile file = request.file;
  const bool streaming = request.stream_fd >= 0;
  const fs::path scratch = request.output;
  auto outcome = co_await run_download(run.engine, std::move(request), events);
  if (streaming) {  // the scratch file was only the reorder window
    std::error_code ec;
    fs::remove(scratch, ec);
    fs::path part = scratch;
    part += ".part";
    fs::remove(part, ec);
    if (outcome && outcome->job_id) (void)run.engine.store().forget(outcome->job_id);
  }
  if (!outcome) {
    if (outcome.error().code == mtp::kErrCancelled) {
      run.result.cancelled = true;
      co_return;
    }
    run.failed(id, name, outcome.error());
    co_return;
  }
  const JobOutcome& o = *outcome;
  if (o.already_done && !o.linked_from) {
    run.skipped(id, name,
                o.archived_gone ? "already downloaded as " + o.path.string() +
                                      " (moved or deleted since; --no-archive fetches it again)"
                                : "already downloaded: " + o.path.string());
    co_return;
  }
  start(o.resumed_bytes);
  ++run.result.done;
  run.bytes += o.size;
  run.retries += static_cast<std::uint64_t>(o.report.retries);
  run.waited_s += o.report.waited_s;
  const std::uint64_t unverified = o.report.unverified_bytes;
  ui::FileDone done{id, o.path.string(), o.size, mtp::to_hex(o.sha256), unverified == 0, unverified};
  done.resumed_bytes = o.resumed_bytes;
  done.retries = o.report.retries;
  done.reissued = o.report.reissued;
  done.hash_mismatches = o.report.hash_mismatches;
  done.reference_refreshes = o.report.reference_refreshes;
  done.waited_s = o.report.waited_s;
  run.renderer.on_event(done, Clock::now());
  if (!run.options.exec.empty()) {
    auto hook = run_exec_hook(run.options.exec, o.path, file, mtp::to_hex(o.sha256));
    if (!hook) run.renderer.print_above("tgget: --exec: " + hook.error().to_string());
  }
}

// `over` is shared: the ticker may wake once more after the batch (and its renderer) are gone.
asio::awaitable<void> tick_display(ui::Renderer& renderer, std::shared_ptr<const bool> over) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!*over) {
    timer.expires_after(std::chrono::milliseconds(100));
    co_await timer.async_wait(asio::use_awaitable);
    if (!*over) renderer.tick(Clock::now());
  }
}

void list_dry_run(const Run& run, const fs::path& path, const RemoteFile& file) {
  if (run.options.json) {
    nlohmann::json j{{"type", "planned"}, {"path", path.string()}, {"size", file.size},
                     {"chat", file.peer.username.empty() ? std::to_string(file.peer.id) : file.peer.username},
                     {"message_id", file.message_id}};
    fmt::print("{}\n", j.dump());
  } else {
    fmt::print("{}\t{}\n", path.string(), file.size);
  }
}

}  // namespace

asio::awaitable<BatchResult> run_batch(engine::Engine& engine, std::vector<BatchItem> items,
                                       const BatchOptions& options, ui::Renderer& renderer) {
  const auto& pool = engine.pool_options();
  // Files being downloaded at once (each DC's small/large queues decide what really moves):
  // enough to keep every queue busy, few enough that a list of thousands stays cheap.
  Run run{engine, options, renderer, mtp::AsyncSemaphore(2 * (pool.small_files_at_once + pool.large_files_at_once)),
          {}, {}, 0, 0, 0, 0, 0, 1};
  auto executor = co_await asio::this_coro::executor;
  engine::Wakeup finished(executor);
  std::size_t running = 0;
  const auto start = Clock::now();
  // The display moves on even while no event comes (speeds, ETAs, a wait counting down).
  auto over = std::make_shared<bool>(false);
  asio::co_spawn(executor, tick_display(renderer, over), asio::detached);

  // Items are expanded a chunk at a time (single messages of one chat in one request), and each
  // chunk's files start downloading while the next chunk is fetched.
  constexpr std::size_t kChunk = 100;
  std::vector<Result<Expanded>> chunk;
  for (std::size_t index = 0; index < items.size(); ++index) {
    if (run.result.cancelled) break;
    auto& item = items[index];
    if (index % kChunk == 0) {
      std::vector<const cli::Link*> links;
      for (std::size_t k = index; k < std::min(items.size(), index + kChunk); ++k) links.push_back(&items[k].link);
      chunk = co_await expand_links(engine, std::move(links), options.expand);
    }
    auto& expanded = chunk[index % kChunk];
    if (!expanded) {
      if (expanded.error().code == mtp::kErrCancelled) {
        run.result.cancelled = true;
        break;
      }
      run.failed(run.next_id++, item.text, expanded.error());
      continue;
    }
    for (const auto& why : expanded->skipped) run.skipped(run.next_id++, item.text, why);
    if (item.path && expanded->files.size() > 1) {
      run.failed(run.next_id++, item.text,
                 Error::local(mtp::kErrInvalidArgument, "OUTPUT_ONE_FILE",
                              "-o names one file, and " + item.text + " names " +
                                  std::to_string(expanded->files.size()) + "; use -d DIR"));
      continue;
    }
    for (auto& file : expanded->files) {
      const ui::FileId id = run.next_id++;
      auto path = output_path(run, item, file);
      const std::string name = file.file_name.empty() ? file.describe() : file.file_name;
      if (!path) {
        run.failed(id, name, path.error());
        continue;
      }
      if (options.dry_run) {
        list_dry_run(run, *path, file);
        continue;
      }
      // The caps stop new downloads (a finished one costs nothing: it is not fetched again).
      // Files finished before are not fetched again, so they do not count against the caps.
      bool fetched_before = false;
      if (options.archive && !options.overwrite) {
        auto prior = engine.store().finished_document(file.id);
        fetched_before = prior && prior->has_value();
      }
      if (!fetched_before) {
        if ((options.max_downloads && run.started >= *options.max_downloads) ||
            (options.max_bytes && run.started_bytes + file.size > *options.max_bytes)) {
          run.skipped(id, name, "left for a later run (--max-downloads / --max-bytes)");
          continue;
        }
        ++run.started;
        run.started_bytes += file.size;
      }
      run.claimed.insert(*path);
      JobRequest request{single_link(item.link, file), std::move(file), *path, options.archive, options.overwrite};
      if (options.stream_dir) {
        request.output = *options.stream_dir / ("stream-" + std::to_string(::getpid()) + "-" + std::to_string(id));
        request.archive = false;
        request.overwrite = true;
        request.stream_fd = STDOUT_FILENO;
      }
      ++running;
      asio::co_spawn(executor, download_one(run, std::move(request), id, name), [&](std::exception_ptr e) {
        if (e) run.failed(id, name, Error::local(mtp::kErrInternal, "CRASH", "a download task threw"));
        --running;
        finished.notify();
      });
    }
  }
  while (running > 0) co_await finished.wait_until(Clock::now() + std::chrono::hours(1));
  *over = true;
  renderer.on_event(ui::Summary{run.result.done, run.result.failed, run.result.skipped, run.bytes,
                                std::chrono::duration<double>(Clock::now() - start).count(), run.retries,
                                run.waited_s},
                    Clock::now());
  co_return run.result;
}

}  // namespace tgget::batch
