#include "download_job.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "crypto/sha.hpp"
#include "resolve/resolver.hpp"

namespace tgget {

using mtp::Error;
using mtp::Result;
using mtp::Status;

namespace {

storage::PeerKind store_kind(PeerKind k) {
  switch (k) {
    case PeerKind::kUser: return storage::PeerKind::kUser;
    case PeerKind::kChat: return storage::PeerKind::kChat;
    default: return storage::PeerKind::kChannel;
  }
}

// A name Telegram gave is untrusted: no separators, no control characters, no leading dots, and
// a length a file system takes. (The command-line issue brings templates and a full sanitiser.)
std::string safe_name(const RemoteFile& f) {
  std::string name;
  for (unsigned char c : f.file_name) {
    if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') continue;
    name.push_back(static_cast<char>(c));
  }
  while (!name.empty() && (name.front() == '.' || name.front() == ' ')) name.erase(name.begin());
  if (name.size() > 200) name = name.substr(name.size() - 200);
  const std::string chat = f.peer.username.empty() ? std::to_string(f.peer.id) : f.peer.username;
  const std::string prefix = chat + "_" + std::to_string(f.message_id);
  if (name.empty()) return prefix + (f.is_photo ? ".jpg" : ".bin");
  return prefix + "_" + name;
}

// SHA-256 of the finished file, read back in 1 MiB blocks (bounded memory whatever its size).
Result<mtp::Int256> file_sha256(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::local(mtp::kErrIo, "FILE_IO", path.string() + ": cannot be read back");
  mtp::crypto::Sha256 sha;
  std::vector<std::uint8_t> block(1 << 20);
  for (;;) {
    const ssize_t n = ::read(fd, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Error::local(mtp::kErrIo, "FILE_IO", path.string() + ": read failed");
    }
    if (n == 0) break;
    sha.update(mtp::ByteSpan(block.data(), static_cast<std::size_t>(n)));
  }
  ::close(fd);
  return sha.finish();
}

// The planner and .part of a job: continued from its durable parts when both are intact,
// otherwise a fresh start (said once).
Result<std::pair<engine::PartPlanner, engine::FileSink>> open_parts(const storage::Job& job, const JobEvents& events,
                                                                  bool& resumed) {
  const auto& spec = job.spec;
  resumed = false;
  if (!job.plan.empty()) {
    auto planner = engine::PartPlanner::restore(job.plan, spec.size, spec.part_size);
    auto sink = planner ? engine::FileSink::reopen(spec.output_path, spec.size)
                        : Result<engine::FileSink>(planner.error());
    if (planner && sink) {
      resumed = true;
      return std::pair(std::move(*planner), std::move(*sink));
    }
    const Error why = planner ? sink.error() : planner.error();
    if (!planner || engine::is_start_over(why)) {
      if (events.notice) events.notice(spec.output_path.string() + ": starting over (" + why.to_string() + ")");
    } else {
      return why;
    }
  }
  auto planner = engine::PartPlanner::create(spec.size, spec.part_size);
  if (!planner) return planner.error();
  auto sink = engine::FileSink::create(spec.output_path, spec.size);
  if (!sink) return sink.error();
  return std::pair(std::move(*planner), std::move(*sink));
}

}  // namespace

asio::awaitable<Result<JobOutcome>> run_download(engine::Engine& engine, const std::string& link_text,
                                                 std::filesystem::path output, JobEvents events) {
  storage::JobStore& store = engine.store();
  auto link = parse_message_link(link_text);
  if (!link) co_return link.error();
  auto resolved = co_await engine.resolve(*link);
  if (!resolved) co_return resolved.error();
  RemoteFile file = std::move(*resolved);
  if (output.empty()) output = safe_name(file);
  std::error_code ec;
  output = std::filesystem::absolute(output, ec);
  if (ec) co_return Error::local(mtp::kErrIo, "FILE_IO", output.string() + ": " + ec.message());

  storage::JobSpec spec;
  spec.link = link->to_string();
  spec.peer_kind = store_kind(file.peer.kind);
  spec.peer_id = file.peer.id;
  spec.message_id = file.message_id;
  spec.document_id = file.id;
  spec.access_hash = file.access_hash;
  spec.dc_id = file.dc;
  spec.size = static_cast<std::uint64_t>(file.size);
  spec.part_size = engine::choose_part_size(spec.size);
  spec.file_name = file.file_name;
  spec.mime_type = file.mime_type;
  spec.output_path = output;
  auto found = store.find_or_create(spec);
  if (!found) co_return found.error();
  storage::Job job = std::move(found->job);

  JobOutcome outcome;
  outcome.path = job.spec.output_path;
  outcome.size = job.spec.size;
  if (job.state == storage::JobState::kDone && job.sha256 &&
      std::filesystem::file_size(job.spec.output_path, ec) == job.spec.size && !ec) {
    outcome.already_done = true;
    outcome.sha256 = *job.sha256;
    co_return outcome;
  }
  engine::DcPool& pool = engine.pool(file.dc);
  auto slot = co_await (job.spec.size < pool.options.small_file_limit ? pool.small_files : pool.large_files).acquire();
  auto lock = store.lock_job(job.id);
  if (!lock) {
    Error e = lock.error();
    if (e.is("JOB_LOCKED")) e.detail = job.spec.output_path.string() + " is being downloaded by another tgget process";
    co_return e;
  }
  if (job.state == storage::JobState::kDone) {
    // Finished once, but the file is gone or changed since: fetched again from the start.
    job.plan.clear();
  }

  bool resumed = false;
  auto parts = open_parts(job, events, resumed);
  if (!parts) co_return parts.error();
  auto& [planner, sink] = *parts;
  outcome.resumed = resumed;
  outcome.resumed_bytes = planner.bytes_durable();
  MTP_CO_TRY(store.set_state(job.id, storage::JobState::kRunning));

  const std::int64_t job_id = job.id;
  auto save = [&store, job_id](mtp::ByteSpan blob) { return store.save_progress(job_id, blob); };
  engine::DownloadEvents engine_events{events.progress, events.notice};
  auto report = co_await engine::download_parts(engine.context(file.dc), file, planner, sink, save, engine.options(),
                                                engine_events);
  if (!report) {
    (void)store.set_state(job.id, storage::JobState::kFailed, report.error().to_string());
    co_return report.error();
  }
  outcome.report = *report;
  MTP_CO_TRY(sink.finish(file.date > 0 ? std::optional<std::int64_t>(file.date) : std::nullopt));
  auto sha = file_sha256(outcome.path);
  if (!sha) co_return sha.error();
  outcome.sha256 = *sha;
  MTP_CO_TRY(store.finish(job.id, outcome.sha256));
  co_return outcome;
}

}  // namespace tgget
