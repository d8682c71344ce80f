#pragma once
// One file from link to finished file: resolution, the job (found or created, locked against a
// second process), the planner and the .part (fresh, or continued from the durable parts), the
// engine, and the finish (size, mtime, rename, SHA-256 recorded).
#include <asio/awaitable.hpp>

#include <filesystem>
#include <functional>
#include <string>

#include "client/client.hpp"
#include "engine/engine.hpp"
#include "engine/file_download.hpp"
#include "resolve/remote_file.hpp"
#include "storage/job_store.hpp"

namespace tgget {

// One file to fetch, already resolved.
struct JobRequest {
  std::string link;              // names exactly this message: how `tgget resume` finds it again
  RemoteFile file;
  std::filesystem::path output;  // absolute
  bool archive = true;           // a document finished before (any message, any chat) is not fetched again
  bool overwrite = false;        // fetched even when finished before; the old file replaced
  // -o -: the file's bytes also go to this descriptor, in order, as soon as they are checked
  // (the parts still arrive in parallel; the file on disk is the reorder window).
  int stream_fd = -1;
};

struct JobOutcome {
  std::int64_t job_id = 0;       // 0 when no job was made (linked from the archive)
  std::filesystem::path path;
  std::uint64_t size = 0;
  mtp::Int256 sha256{};
  bool already_done = false;     // nothing was fetched: the job was finished before
  // With already_done: the same document finished before under another name, linked (or copied)
  // from there; or, when that file is gone, nothing written (archived_gone).
  std::optional<std::filesystem::path> linked_from;
  bool archived_gone = false;
  bool resumed = false;          // continued from durable parts
  std::uint64_t resumed_bytes = 0;
  engine::DownloadReport report;
};

struct JobEvents {
  std::function<void(const std::string&)> notice;
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

// The file waits for a slot of its DC's small or large queue before its job is locked.
asio::awaitable<mtp::Result<JobOutcome>> run_download(engine::Engine& engine, JobRequest request, JobEvents events);

// SHA-256 of a file on disk, read in 1 MiB blocks.
mtp::Result<mtp::Int256> file_sha256(const std::filesystem::path& path);

}  // namespace tgget
