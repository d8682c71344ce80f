#pragma once
// Every download tgget was asked for, in one SQLite database in the state directory
// ("<state>/jobs.sqlite", WAL, the file 0600 and a directory it creates 0700): what the file is
// (its message, document and DC, so an expired file reference can be renewed), where it goes, how
// far it got (the part planner's blob: durable parts only) and how it ended.
//
// Errors are values, never exceptions: JOB_DB (kErrIo) with the path and SQLite's reason,
// JOB_DB_CORRUPT for a damaged file or a row that does not make sense, JOB_DB_VERSION for a
// database of a newer tgget, JOB_NOT_FOUND, and kErrInvalidArgument for a bad JobSpec.
// Schema version 2 (PRAGMA user_version); each later change is one more migration step.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "storage/job_lock.hpp"

namespace SQLite {
class Database;
}

namespace tgget::storage {

enum class PeerKind { kUser, kChat, kChannel };
enum class JobState { kQueued, kRunning, kDone, kFailed };

std::string_view to_string(PeerKind kind);
std::string_view to_string(JobState state);

// What identifies and describes a download; (peer, message id, document id, output path) is the
// job's identity: the same file asked for again finds the same job.
struct JobSpec {
  std::string link;               // as the user gave it, for messages
  PeerKind peer_kind = PeerKind::kChannel;
  std::int64_t peer_id = 0;
  std::int32_t message_id = 0;
  std::int64_t document_id = 0;
  std::int64_t access_hash = 0;
  std::int32_t dc_id = 0;
  std::uint64_t size = 0;
  std::uint32_t part_size = 0;    // a valid planner part size
  std::string file_name;
  std::string mime_type;
  std::filesystem::path output_path;  // absolute: a resume may run from another directory
};

struct Job {
  std::int64_t id = 0;
  JobSpec spec;
  JobState state = JobState::kQueued;
  std::string error;                      // why it failed; empty otherwise
  std::optional<mtp::Int256> sha256;      // of the finished file
  mtp::Bytes plan;                        // the saved PartPlanner blob; empty before the first save
  std::int64_t created_at = 0;            // unix seconds
  std::int64_t updated_at = 0;
};

struct FoundJob {
  Job job;
  bool created = false;  // false: the job existed (any state, done included)
};

class JobStore {
 public:
  using Clock = std::function<std::int64_t()>;  // unix seconds; tests pass a fixed one

  // Opens or creates "<state_dir>/jobs.sqlite"; lock files go to "<state_dir>/job-locks/".
  static mtp::Result<std::unique_ptr<JobStore>> open(const std::filesystem::path& state_dir, Clock clock = {});
  ~JobStore();

  const std::filesystem::path& path() const { return path_; }

  // The job of this (peer, message, document, output path), created queued when new. An existing
  // job is returned as stored (its part size and plan included); the spec's other fields do not
  // overwrite it.
  mtp::Result<FoundJob> find_or_create(const JobSpec& spec);
  mtp::Result<Job> load(std::int64_t job_id);
  // Every job not done (queued, running, failed), oldest first. "running" is only a hint that a
  // process was on it: lock_job() tells whether one still is.
  mtp::Result<std::vector<Job>> unfinished();

  // Every job, oldest first (tgget status).
  mtp::Result<std::vector<Job>> all();
  // The archive: the newest finished job of this document (by id: the same file posted again in
  // another message or chat is the same document), if any.
  mtp::Result<std::optional<Job>> finished_document(std::int64_t document_id);
  // The newest message id fetched (finished) from a chat; 0 when none (tgget download --new).
  mtp::Result<std::int32_t> newest_finished_message(PeerKind kind, std::int64_t peer_id);
  // The job that writes (or wrote) `output_path`, if any: names from a template never take
  // another job's file.
  mtp::Result<std::optional<Job>> output_owner(const std::filesystem::path& output_path);
  // Drops a job and its plan (its files are left alone). JOB_NOT_FOUND when there is none.
  mtp::Status forget(std::int64_t job_id);
  // Drops the unfinished jobs of spec's message and output path whose document is another: the
  // message's file was replaced on the server (FILE_CHANGED), so they can never finish, and
  // `tgget resume` must not try them for ever. Returns how many.
  mtp::Result<int> forget_superseded(const JobSpec& spec);
  // Drops every finished job; returns how many.
  mtp::Result<int> forget_finished();

  // Replaces the job's saved plan and touches updated_at, in one transaction.
  mtp::Status save_progress(std::int64_t job_id, mtp::ByteSpan plan);
  // `error` is kept for kFailed and cleared for any other state.
  mtp::Status set_state(std::int64_t job_id, JobState state, std::string_view error = {});
  // The document behind the job changed on the server (same id, another size):
  // the job takes the new description (size, part size, access hash, DC), its plan and SHA-256
  // are dropped and it is queued again, in one transaction, so no part of the old version is
  // ever counted for the new one.
  mtp::Status restart(std::int64_t job_id, const JobSpec& now);
  // The file is complete: state done, its SHA-256 kept, the plan dropped, in one transaction.
  mtp::Status finish(std::int64_t job_id, const mtp::Int256& sha256);

  // Held for as long as a process downloads the job (see JobLock): JOB_LOCKED for a second one.
  mtp::Result<JobLock> lock_job(std::int64_t job_id);

 private:
  JobStore(std::filesystem::path state_dir, std::unique_ptr<SQLite::Database> db, Clock clock);

  std::filesystem::path state_dir_;
  std::filesystem::path path_;
  std::unique_ptr<SQLite::Database> db_;
  Clock clock_;
};

}  // namespace tgget::storage
