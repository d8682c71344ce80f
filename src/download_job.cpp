#include "download_job.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

}  // namespace

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

namespace {

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


// The archive: this document was finished before under another name. Linked (or copied) from
// there when that file is still whole; nothing written when it is gone (the user moved or deleted
// it: --no-archive fetches it again).
Result<std::optional<JobOutcome>> from_archive(storage::JobStore& store, const JobRequest& request) {
  auto prior = store.finished_document(request.file.id);
  if (!prior) return prior.error();
  if (!*prior || !(*prior)->sha256 || (*prior)->spec.output_path == request.output) return std::optional<JobOutcome>();
  const storage::Job& done = **prior;
  JobOutcome outcome;
  outcome.already_done = true;
  outcome.size = done.spec.size;
  outcome.sha256 = *done.sha256;
  std::error_code ec;
  const bool whole = std::filesystem::file_size(done.spec.output_path, ec) == done.spec.size && !ec;
  if (!whole) {
    outcome.path = done.spec.output_path;
    outcome.archived_gone = true;
    return std::optional<JobOutcome>(outcome);
  }
  outcome.path = request.output;
  outcome.linked_from = done.spec.output_path;
  if (std::filesystem::exists(request.output, ec)) return std::optional<JobOutcome>(outcome);  // there already
  std::filesystem::create_hard_link(done.spec.output_path, request.output, ec);
  if (ec) {
    ec.clear();
    std::filesystem::copy_file(done.spec.output_path, request.output, ec);
    if (ec) return Error::local(mtp::kErrIo, "FILE_IO", request.output.string() + ": " + ec.message());
  }
  return std::optional<JobOutcome>(outcome);
}

// Sends bytes [streamed, upto) of the file to `fd`, read back from the .part (the page cache).
Status stream_out(const engine::FileSink& sink, int fd, std::uint64_t& streamed, std::uint64_t upto,
                  std::vector<std::uint8_t>& buffer) {
  constexpr std::size_t kBlock = 1 << 20;
  if (buffer.size() < kBlock) buffer.resize(kBlock);
  while (streamed < upto) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, upto - streamed));
    MTP_TRY(sink.read(streamed, mtp::MutableByteSpan(buffer.data(), n)));
    std::size_t sent = 0;
    while (sent < n) {
      const ssize_t w = ::write(fd, buffer.data() + sent, n - sent);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        return Error::local(mtp::kErrIo, "STREAM_CLOSED",
                            std::string("stdout: ") + std::strerror(errno) + " (the reader went away)");
      }
      sent += static_cast<std::size_t>(w);
    }
    streamed += n;
  }
  return {};
}

}  // namespace

asio::awaitable<Result<JobOutcome>> run_download(engine::Engine& engine, JobRequest request, JobEvents events) {
  storage::JobStore& store = engine.store();
  RemoteFile& file = request.file;
  const std::filesystem::path& output = request.output;
  std::error_code ec;
  if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path(), ec);
  if (ec) co_return Error::local(mtp::kErrIo, "FILE_IO", output.parent_path().string() + ": " + ec.message());
  if (request.archive && !request.overwrite) {
    auto archived = from_archive(store, request);
    if (!archived) co_return archived.error();
    if (*archived) co_return std::move(**archived);
  }

  storage::JobSpec spec;
  spec.link = request.link;
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
  if (found->created) {
    // A new document for a message and path an unfinished job had: the old one is superseded.
    auto superseded = store.forget_superseded(spec);
    if (!superseded) co_return superseded.error();
  }
  if (!found->created && job.spec.size != spec.size) {
    // The same document id with another size: the file was replaced on the server
    // (a resume after FILE_CHANGED). The parts on disk are of the old version, so they must never
    // be counted for this one: the job starts over, from zero, with the new description.
    if (events.notice) {
      events.notice(job.spec.output_path.string() + ": the file changed on the server (" +
                    std::to_string(job.spec.size) + " bytes then, " + std::to_string(spec.size) +
                    " now); starting over");
    }
    MTP_CO_TRY(store.restart(job.id, spec));
    auto reloaded = store.load(job.id);
    if (!reloaded) co_return reloaded.error();
    job = std::move(*reloaded);
  }

  JobOutcome outcome;
  outcome.job_id = job.id;
  outcome.path = job.spec.output_path;
  outcome.size = job.spec.size;
  if (job.state == storage::JobState::kDone && job.sha256 && !request.overwrite) {
    const bool whole = std::filesystem::file_size(job.spec.output_path, ec) == job.spec.size && !ec;
    // Finished once and gone since: the user moved or deleted it; the archive remembers it
    // (--no-archive or --overwrite fetches it again).
    if (whole || request.archive) {
      outcome.already_done = true;
      outcome.sha256 = *job.sha256;
      outcome.archived_gone = !whole;
      co_return outcome;
    }
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
  if (!parts) {
    // Recorded like any other failure (a disk too full to preallocate the .part): `tgget status`
    // says why the job did not start, rather than leaving it queued as if never tried.
    (void)store.set_state(job.id, storage::JobState::kFailed, parts.error().to_string());
    co_return parts.error();
  }
  auto& [planner, sink] = *parts;
  outcome.resumed = resumed;
  outcome.resumed_bytes = planner.bytes_durable();
  MTP_CO_TRY(store.set_state(job.id, storage::JobState::kRunning));

  const std::int64_t job_id = job.id;
  auto save = [&store, job_id](mtp::ByteSpan blob) { return store.save_progress(job_id, blob); };
  engine::DownloadEvents engine_events{events.progress, events.notice, {}};
  std::uint64_t streamed = 0;
  std::vector<std::uint8_t> stream_buffer;
  if (request.stream_fd >= 0) {
    engine_events.ordered = [&sink, &streamed, &stream_buffer, fd = request.stream_fd](std::uint64_t upto) {
      return stream_out(sink, fd, streamed, upto, stream_buffer);
    };
  }
  auto report = co_await engine::download_parts(engine.context(file.dc), file, planner, sink, save, engine.options(),
                                                engine_events);
  if (!report) {
    (void)store.set_state(job.id, storage::JobState::kFailed, report.error().to_string());
    co_return report.error();
  }
  outcome.report = *report;
  MTP_CO_TRY(sink.finish(file.date > 0 ? std::optional<std::int64_t>(file.date) : std::nullopt));
  if (report->sha256) {
    outcome.sha256 = *report->sha256;
  } else {
    auto sha = file_sha256(outcome.path);
    if (!sha) co_return sha.error();
    outcome.sha256 = *sha;
  }
  MTP_CO_TRY(store.finish(job.id, outcome.sha256));
  co_return outcome;
}

}  // namespace tgget
