#pragma once
// A batch: links (from the command line, a -i list or the job store) expanded into files, each
// named (-o, an out= line, or the --name template under -d, never on top of another job's file),
// checked against the archive, and downloaded several at once over one engine; every step told
// to the renderer as events. The caps (--max-downloads, --max-bytes) stop new downloads, never a
// running one. Errors of one item never stop the others.
#include <asio/awaitable.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "batch/expand.hpp"
#include "cli/link.hpp"
#include "cli/name_template.hpp"
#include "engine/engine.hpp"
#include "ui/renderer.hpp"

namespace tgget::batch {

struct BatchItem {
  std::string text;                           // as the user wrote it (for messages)
  cli::Link link;
  std::optional<std::string> out;             // an out= name under the directory (a safe relative path)
  std::optional<std::filesystem::path> path;  // the exact file (-o, or a job being resumed)
};

struct BatchOptions {
  std::filesystem::path directory = ".";
  cli::NameTemplate name = *cli::NameTemplate::parse(cli::NameTemplate::kDefault);
  ExpandOptions expand;
  bool archive = true;
  bool overwrite = false;
  bool dry_run = false;
  bool json = false;  // for --dry-run's listing
  std::optional<std::size_t> max_downloads;
  std::optional<std::int64_t> max_bytes;
  std::vector<std::string> exec;  // argv of --exec (the file's path is appended); empty: none
  // -o -: the one file goes to stdout as it arrives, through a scratch file under this
  // directory that is removed (and its job forgotten) once it is sent.
  std::optional<std::filesystem::path> stream_dir;
};

struct BatchResult {
  std::size_t done = 0, skipped = 0, failed = 0;
  std::optional<mtp::Error> first_failure;  // of a single-item batch: its error decides the exit
  bool temporary_failure = false;           // one failure would pass if run again later
  bool cancelled = false;
};

asio::awaitable<BatchResult> run_batch(engine::Engine& engine, std::vector<BatchItem> items,
                                       const BatchOptions& options, ui::Renderer& renderer);

}  // namespace tgget::batch
