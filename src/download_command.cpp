#include "download_command.hpp"


#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/core.h>

#include <asio/this_coro.hpp>

#include "batch/batch.hpp"
#include "batch/exec_hook.hpp"
#include "cli/link_list.hpp"
#include "cli/units.hpp"
#include "display.hpp"

namespace tgget {
namespace {

using mtp::client::Client;
using mtp::Error;

struct DownloadFlags {
  std::vector<std::string> links;
  std::string input;  // -i FILE, "-" for stdin
  std::string output;
  std::string directory;
  std::string name{cli::NameTemplate::kDefault};
  bool album = false, only_new = false, no_archive = false, overwrite = false, dry_run = false;
  std::string types, min_size, max_size, since, until, match, max_bytes, exec, max_wait;
  std::optional<std::size_t> last, max_downloads;
  bool no_verify = false;
  int connections = 2;
};

Error usage(std::string what) { return Error::local(mtp::kErrInvalidArgument, "USAGE", std::move(what)); }

// The flags into batch options; every value checked before anything is fetched.
mtp::Result<batch::BatchOptions> batch_options(const DownloadFlags& f, const OutputOptions& output) {
  batch::BatchOptions o;
  if (!f.directory.empty()) o.directory = f.directory;
  auto name = cli::NameTemplate::parse(f.name);
  if (!name) return name.error();
  o.name = std::move(*name);
  o.expand.album = f.album;
  o.expand.only_new = f.only_new;
  auto& filters = o.expand.filters;
  if (!f.types.empty()) {
    auto t = cli::parse_media_types(f.types);
    if (!t) return t.error();
    filters.types = *t;
  }
  if (!f.min_size.empty()) {
    auto v = cli::parse_size(f.min_size);
    if (!v) return v.error();
    filters.min_size = *v;
  }
  if (!f.max_size.empty()) {
    auto v = cli::parse_size(f.max_size);
    if (!v) return v.error();
    filters.max_size = *v;
  }
  if (!f.since.empty()) {
    auto v = cli::parse_moment(f.since);
    if (!v) return v.error();
    filters.since = v->unix_seconds;
  }
  if (!f.until.empty()) {
    auto v = cli::parse_moment(f.until);
    if (!v) return v.error();
    filters.until = v->unix_seconds + v->span_seconds - 1;  // --until DAY includes that day
  }
  filters.last = f.last;
  if (!f.match.empty()) {
    try {
      filters.match = std::regex(f.match, std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error& e) {
      return usage("--match: not a regular expression: " + f.match + " (" + e.what() + ")");
    }
  }
  o.archive = !f.no_archive;
  o.overwrite = f.overwrite;
  o.dry_run = f.dry_run;
  o.json = output.json;
  o.max_downloads = f.max_downloads;
  if (!f.max_bytes.empty()) {
    auto v = cli::parse_size(f.max_bytes);
    if (!v) return v.error();
    o.max_bytes = *v;
  }
  if (!f.exec.empty()) {
    auto argv = batch::split_command(f.exec);
    if (!argv) return argv.error();
    o.exec = std::move(*argv);
  }
  return o;
}

mtp::Result<engine::DownloadOptions> engine_options(const DownloadFlags& f) {
  engine::DownloadOptions o;
  o.verify = !f.no_verify;
  if (!f.max_wait.empty()) {
    auto v = cli::parse_duration(f.max_wait);
    if (!v) return v.error();
    o.max_wait = *v;
  }
  return o;
}

engine::PoolOptions pool_options(const DownloadFlags& f) {
  engine::PoolOptions o;
  o.sessions = f.connections;
  return o;
}

// The items of the command line and of -i (a bad list line is reported and skipped; a bad link
// on the command line stops everything: the user typed it just now).
mtp::Result<std::vector<batch::BatchItem>> collect_items(const DownloadFlags& f) {
  std::vector<batch::BatchItem> items;
  for (const auto& text : f.links) {
    auto link = cli::parse_link(text);
    if (!link) return link.error();
    batch::BatchItem item{text, *link, std::nullopt, std::nullopt};
    if (!f.output.empty()) item.path = f.output;
    items.push_back(std::move(item));
  }
  if (!f.input.empty()) {
    std::stringstream content;
    if (f.input == "-") {
      content << std::cin.rdbuf();
    } else {
      std::ifstream in(f.input, std::ios::binary);
      if (!in) return Error::local(mtp::kErrIo, "FILE_IO", f.input + ": cannot be read");
      content << in.rdbuf();
    }
    const auto list = cli::parse_link_list(content.str());
    for (const auto& e : list.errors) {
      fmt::print(stderr, "tgget: {}:{}: {} (line skipped)\n", f.input == "-" ? "stdin" : f.input, e.line,
                 e.error.detail.empty() ? e.error.to_string() : e.error.detail);
    }
    for (const auto& i : list.items) items.push_back(batch::BatchItem{i.text, i.link, i.out, std::nullopt});
  }
  return items;
}

// The command's result from the batch's: 0 when nothing failed; one item's own error when it was
// the only one; 75 when a failure would pass later (network, a long wait); else 1.
mtp::Status batch_status(const batch::BatchResult& r, std::size_t items) {
  if (r.cancelled) return Error::local(mtp::kErrCancelled, "INTERRUPTED", "stopped");
  if (r.failed == 0) return {};
  if (items == 1 && r.failed == 1 && r.done == 0 && r.first_failure) {
    Error e = *r.first_failure;
    e.detail = e.detail.empty() ? "reported above" : e.detail;
    return e;
  }
  const std::string what = std::to_string(r.failed) + " failed, " + std::to_string(r.done) + " done, " +
                           std::to_string(r.skipped) + " skipped";
  if (r.temporary_failure) {
    return Error::local(mtp::kErrNetwork, "ITEMS_TEMPORARY", what + "; run it again later and it resumes");
  }
  return Error::local(mtp::kErrInternal, "ITEMS_FAILED", what);
}

asio::awaitable<mtp::Status> download_all(Client& client, const Settings& settings, std::vector<batch::BatchItem> items,
                                          engine::PoolOptions pool, engine::DownloadOptions options,
                                          batch::BatchOptions batch_opts, OutputOptions output) {
  MTP_CO_TRY(co_await client.start());
  if (!client.logged_in()) {
    co_return Error::local(mtp::kErrInvalidArgument, "NOT_LOGGED_IN", "not logged in: run `tgget login`");
  }
  auto store = storage::JobStore::open(settings.home());
  if (!store) co_return store.error();
  auto executor = co_await asio::this_coro::executor;
  engine::Engine engine(executor, client, **store, pool, options);
  Display display(output);
  const std::size_t count = items.size();
  auto result = co_await batch::run_batch(engine, std::move(items), batch_opts, display.renderer());
  co_return batch_status(result, count);
}

void add_download_flags(CLI::App* cmd, DownloadFlags& f) {
  cmd->add_flag("--no-verify", f.no_verify, "do not check parts against Telegram's SHA-256 hashes");
  cmd->add_option("--connections", f.connections, "download sessions per DC (default 2; up to 8 for Premium)")
      ->check(CLI::Range(1, 16));
  cmd->add_option("--max-wait", f.max_wait,
                  "the longest FLOOD_WAIT sat through (default 1h; longer: exit 75, run again later)");
}

}  // namespace

void add_download_commands(CLI::App& app, const SettingsFactory& make_settings, const OutputOptions& output,
                           int& exit_code) {
  // A file-size limit (ulimit -f) must fail a write, not kill the process: the sink reports it.
  std::signal(SIGXFSZ, SIG_IGN);
  // A closed stdout (tgget ... -o - | head) must fail a write, not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  auto flags = std::make_shared<DownloadFlags>();
  auto* download = app.add_subcommand(
      "download",
      "download the files of messages: t.me/CHAT/ID, t.me/c/CHANNEL/ID, t.me/CHAT/10-25, t.me/CHAT/100-, t.me/CHAT "
      "(a whole chat), topic and comment links, tg:// links");
  download->add_option("link", flags->links, "links (see above)");
  download->add_option("-i,--input-file", flags->input,
                       "links from FILE (- for stdin): one per line, # comments, an indented out=NAME under a link");
  download->add_option("-o,--output", flags->output, "the file to write (one file)");
  download->add_option("-d,--dir", flags->directory, "the directory for the files (default: here)");
  download->add_option("--name", flags->name,
                       "file names under -d: {chat} {chat_title} {chat_id} {id} {topic} {date[:FMT]} {filename} {ext} "
                       "{size} {album} {caption[:N]} (default {chat}_{id}_{filename})");
  download->add_flag("--album", flags->album, "every item of the album the linked message belongs to");
  download->add_option("--type", flags->types, "only these: video,audio,photo,document,voice,round,sticker,animation");
  download->add_option("--min-size", flags->min_size, "only files at least this big (100K, 5M, 1.5G)");
  download->add_option("--max-size", flags->max_size, "only files at most this big");
  download->add_option("--since", flags->since, "only messages from this date on (YYYY-MM-DD[THH:MM[:SS]], UTC)");
  download->add_option("--until", flags->until, "only messages up to this date (the whole day for a date)");
  download->add_option("--last", flags->last, "only the N newest files (of a range or chat)");
  download->add_option("--match", flags->match, "only files whose name or caption matches this regex");
  download->add_flag("--new", flags->only_new,
                     "only messages newer than the newest already downloaded from that chat (mirroring)");
  download->add_flag("--no-archive", flags->no_archive, "fetch documents already downloaded before, too");
  download->add_flag("--overwrite", flags->overwrite, "fetch again what is already downloaded, replacing it");
  download->add_flag("--dry-run", flags->dry_run, "list what would be downloaded (path, size); fetch nothing");
  download->add_option("--max-downloads", flags->max_downloads, "start at most N downloads in this run");
  download->add_option("--max-bytes", flags->max_bytes, "start downloads of at most SIZE in all in this run");
  download->add_option("--exec", flags->exec,
                       "run CMD after each finished file, its path appended as an argument, its fields in TGGET_*");
  add_download_flags(download, *flags);
  download->callback([&make_settings, &output, &exit_code, flags] {
    const auto& f = *flags;
    auto fail = [&](const Error& e) { exit_code = report_error("download", e); };
    if (f.links.empty() && f.input.empty()) return fail(usage("give a link, or -i FILE"));
    if (!f.output.empty() && !f.directory.empty()) return fail(usage("-o and -d do not go together"));
    if (!f.output.empty() && (f.links.size() != 1 || !f.input.empty())) {
      return fail(usage("-o names one file; give one link (or -d DIR)"));
    }
    if (f.output == "-" && output.json) return fail(usage("-o - and --json both want stdout; choose one"));
    auto batch_opts = batch_options(f, output);
    if (!batch_opts) return fail(batch_opts.error());
    auto options = engine_options(f);
    if (!options) return fail(options.error());
    auto items = collect_items(f);
    if (!items) return fail(items.error());
    if (items->empty()) {
      exit_code = f.input.empty() ? kExitOk : report_error("download", usage("no valid link in " + f.input));
      return;
    }
    auto made = make_settings();
    if (!made) return fail(made.error());
    Settings s = std::move(*made);
    if (f.output == "-") batch_opts->stream_dir = s.home() / "streams";
    const auto pool = pool_options(f);
    exit_code = run_with_client(s, [s, items = std::move(*items), pool, options = *options, batch_opts = std::move(*batch_opts),
                                    output](Client& client) -> asio::awaitable<mtp::Status> {
      co_return co_await download_all(client, s, items, pool, options, batch_opts, output);
    });
  });

  auto resume_flags = std::make_shared<DownloadFlags>();
  auto resume_ids = std::make_shared<std::vector<std::int64_t>>();
  auto* resume = app.add_subcommand("resume", "continue unfinished downloads where they stopped (all, or the jobs named)");
  resume->add_option("job", *resume_ids, "job ids (tgget status lists them)");
  add_download_flags(resume, *resume_flags);
  resume->callback([&make_settings, &output, &exit_code, resume_flags, resume_ids] {
    auto fail = [&](const std::string& what, const Error& e) { exit_code = report_error(what, e); };
    auto made = make_settings();
    if (!made) return fail("settings", made.error());
    Settings s = std::move(*made);
    auto store = storage::JobStore::open(s.home());
    if (!store) return fail("job store", store.error());
    auto jobs = (*store)->unfinished();
    if (!jobs) return fail("job store", jobs.error());
    std::vector<batch::BatchItem> items;
    for (const auto& j : *jobs) {
      if (!resume_ids->empty() && std::find(resume_ids->begin(), resume_ids->end(), j.id) == resume_ids->end()) continue;
      auto link = cli::parse_link(j.spec.link);
      if (!link) {
        fmt::print(stderr, "tgget: job {}: its link {} no longer parses; skipped\n", j.id, j.spec.link);
        continue;
      }
      items.push_back(batch::BatchItem{j.spec.link, *link, std::nullopt, j.spec.output_path});
    }
    if (items.empty()) {
      if (!output.quiet && !output.json) fmt::print(stderr, "tgget: nothing to resume\n");
      exit_code = resume_ids->empty() ? kExitOk : report_error("resume", usage("no unfinished job with those ids"));
      return;
    }
    store->reset();  // the run opens its own
    auto options = engine_options(*resume_flags);
    if (!options) return fail("resume", options.error());
    batch::BatchOptions batch_opts;
    batch_opts.json = output.json;
    const auto pool = pool_options(*resume_flags);
    exit_code = run_with_client(s, [s, items, pool, options = *options, batch_opts, output](Client& client) -> asio::awaitable<mtp::Status> {
      co_return co_await download_all(client, s, items, pool, options, batch_opts, output);
    });
  });
}

}  // namespace tgget
