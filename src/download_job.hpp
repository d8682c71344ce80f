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
#include "storage/job_store.hpp"

namespace tgget {

struct JobOutcome {
  std::filesystem::path path;
  std::uint64_t size = 0;
  mtp::Int256 sha256{};
  bool already_done = false;     // nothing was fetched: the job was finished before
  bool resumed = false;          // continued from durable parts
  std::uint64_t resumed_bytes = 0;
  engine::DownloadReport report;
};

struct JobEvents {
  std::function<void(const std::string&)> notice;
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

// `output`: the file to write; empty → a name from the file (sanitised) in the current directory.
// The file waits for a slot of its DC's small or large queue before its job is locked.
asio::awaitable<mtp::Result<JobOutcome>> run_download(engine::Engine& engine, const std::string& link,
                                                      std::filesystem::path output, JobEvents events);

}  // namespace tgget
