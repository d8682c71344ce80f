#include "storage/job_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "storage/job_rows.hpp"
#include "storage/job_schema.hpp"

namespace tgget::storage {
namespace {

using mtp::Error;
using mtp::kErrIo;
namespace fs = std::filesystem;

constexpr const char* kDbName = "jobs.sqlite";
constexpr const char* kLockDir = "job-locks";

Error corrupt(const fs::path& path, const std::string& what) {
  return Error::local(kErrIo, "JOB_DB_CORRUPT", path.string() + ": " + what);
}

Error not_found(std::int64_t job_id) {
  return Error::local(mtp::kErrInvalidArgument, "JOB_NOT_FOUND", "no job " + std::to_string(job_id));
}

// Runs `body`, turning every exception into an error value: none leaves this library.
template <class Body>
auto guarded(const fs::path& path, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const Corrupt& c) {
    return corrupt(path, c.what);
  } catch (const SQLite::Exception& e) {
    const int primary = e.getErrorCode() & 0xff;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return corrupt(path, e.what());
    return Error::local(kErrIo, "JOB_DB", path.string() + ": " + e.what());
  } catch (const std::exception& e) {
    return Error::local(kErrIo, "JOB_DB", path.string() + ": " + e.what());
  }
}

// Creates the file 0600 before SQLite does (SQLite would use the umask; its -wal and -shm files
// take the database's mode), and tightens one found looser.
mtp::Status create_private_file(const fs::path& dir, const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return Error::local(kErrIo, "JOB_DB", dir.string() + ": " + ec.message());
    // A state directory we made is private; one that existed is the user's and left alone.
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Error::local(kErrIo, "JOB_DB", path.string() + ": " + std::strerror(errno));
  const int rc = ::fchmod(fd, 0600);
  ::close(fd);
  if (rc != 0) return Error::local(kErrIo, "JOB_DB", path.string() + ": cannot chmod 0600");
  return {};
}

// An UPDATE of one job: JOB_NOT_FOUND when no row changed.
mtp::Status expect_one_row(SQLite::Statement& q, std::int64_t job_id) {
  if (q.exec() == 0) return not_found(job_id);
  return {};
}

// Runs `update` (which must change the job's one row) and drops the job's saved plan, in one
// transaction: after a restart or a finish the plan describes bytes that are no longer wanted.
mtp::Status update_and_drop_plan(SQLite::Database& db, SQLite::Statement& update, std::int64_t job_id) {
  SQLite::Transaction t(db, SQLite::TransactionBehavior::IMMEDIATE);
  MTP_TRY(expect_one_row(update, job_id));
  SQLite::Statement drop(db, "DELETE FROM job_progress WHERE job_id = ?");
  drop.bind(1, job_id);
  drop.exec();
  t.commit();
  return {};
}

}  // namespace

JobStore::JobStore(fs::path state_dir, std::unique_ptr<SQLite::Database> db, Clock clock)
    : state_dir_(std::move(state_dir)), path_(state_dir_ / kDbName), db_(std::move(db)), clock_(std::move(clock)) {}

JobStore::~JobStore() = default;

mtp::Result<std::unique_ptr<JobStore>> JobStore::open(const fs::path& state_dir, Clock clock) {
  const fs::path path = state_dir / kDbName;
  MTP_TRY(create_private_file(state_dir, path));
  if (!clock) clock = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
  return guarded(path, [&]() -> mtp::Result<std::unique_ptr<JobStore>> {
    auto db = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE);
    db->setBusyTimeout(5000);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA foreign_keys=ON");
    int version = 0;
    if (!migrate_job_schema(*db, &version)) {
      if (version < 0) return corrupt(path, "schema version " + std::to_string(version));
      return Error::local(kErrIo, "JOB_DB_VERSION",
                          path.string() + " has schema version " + std::to_string(version) +
                              ", made by a newer tgget (this one knows " + std::to_string(kJobSchemaVersion) + ")");
    }
    return std::unique_ptr<JobStore>(new JobStore(state_dir, std::move(db), std::move(clock)));
  });
}

mtp::Result<FoundJob> JobStore::find_or_create(const JobSpec& s) {
  MTP_TRY(check_spec(s));
  return guarded(path_, [&]() -> mtp::Result<FoundJob> {
    SQLite::Transaction t(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    const std::int64_t now = clock_();
    SQLite::Statement insert(*db_,
                             "INSERT INTO jobs(link, peer_kind, peer_id, message_id, document_id, access_hash, dc_id,"
                             " size, part_size, file_name, mime_type, output_path, state, created_at, updated_at)"
                             " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT DO NOTHING");
    insert.bind(1, s.link);
    insert.bind(2, std::string(to_string(s.peer_kind)));
    insert.bind(3, s.peer_id);
    insert.bind(4, s.message_id);
    insert.bind(5, s.document_id);
    insert.bind(6, s.access_hash);
    insert.bind(7, s.dc_id);
    insert.bind(8, static_cast<std::int64_t>(s.size));
    insert.bind(9, static_cast<std::int64_t>(s.part_size));
    insert.bind(10, s.file_name);
    insert.bind(11, s.mime_type);
    insert.bind(12, s.output_path.string());
    insert.bind(13, now);
    insert.bind(14, now);
    const bool created = insert.exec() == 1;
    SQLite::Statement q(*db_, std::string(kSelectJobs) +
                                  " WHERE j.peer_kind = ? AND j.peer_id = ? AND j.message_id = ?"
                                  " AND j.document_id = ? AND j.output_path = ?");
    q.bind(1, std::string(to_string(s.peer_kind)));
    q.bind(2, s.peer_id);
    q.bind(3, s.message_id);
    q.bind(4, s.document_id);
    q.bind(5, s.output_path.string());
    if (!q.executeStep()) throw Corrupt{"the job just written cannot be read back"};
    FoundJob found{read_job(q), created};
    t.commit();
    return found;
  });
}

mtp::Result<Job> JobStore::load(std::int64_t job_id) {
  return guarded(path_, [&]() -> mtp::Result<Job> {
    SQLite::Statement q(*db_, std::string(kSelectJobs) + " WHERE j.id = ?");
    q.bind(1, job_id);
    if (!q.executeStep()) return not_found(job_id);
    return read_job(q);
  });
}

mtp::Result<std::vector<Job>> JobStore::unfinished() {
  return guarded(path_, [&]() -> mtp::Result<std::vector<Job>> {
    SQLite::Statement q(*db_, std::string(kSelectJobs) + " WHERE j.state != 'done' ORDER BY j.created_at, j.id");
    std::vector<Job> jobs;
    while (q.executeStep()) jobs.push_back(read_job(q));
    return jobs;
  });
}

mtp::Result<std::vector<Job>> JobStore::all() {
  return guarded(path_, [&]() -> mtp::Result<std::vector<Job>> {
    SQLite::Statement q(*db_, std::string(kSelectJobs) + " ORDER BY j.created_at, j.id");
    std::vector<Job> jobs;
    while (q.executeStep()) jobs.push_back(read_job(q));
    return jobs;
  });
}

mtp::Result<std::optional<Job>> JobStore::finished_document(std::int64_t document_id) {
  return guarded(path_, [&]() -> mtp::Result<std::optional<Job>> {
    SQLite::Statement q(*db_, std::string(kSelectJobs) +
                                  " WHERE j.document_id = ? AND j.state = 'done' ORDER BY j.updated_at DESC, j.id DESC"
                                  " LIMIT 1");
    q.bind(1, document_id);
    if (!q.executeStep()) return std::optional<Job>();
    return std::optional<Job>(read_job(q));
  });
}

mtp::Result<std::optional<Job>> JobStore::output_owner(const std::filesystem::path& output_path) {
  return guarded(path_, [&]() -> mtp::Result<std::optional<Job>> {
    SQLite::Statement q(*db_, std::string(kSelectJobs) + " WHERE j.output_path = ? ORDER BY j.id LIMIT 1");
    q.bind(1, output_path.string());
    if (!q.executeStep()) return std::optional<Job>();
    return std::optional<Job>(read_job(q));
  });
}

mtp::Result<std::int32_t> JobStore::newest_finished_message(PeerKind kind, std::int64_t peer_id) {
  return guarded(path_, [&]() -> mtp::Result<std::int32_t> {
    SQLite::Statement q(*db_,
                        "SELECT COALESCE(MAX(message_id), 0) FROM jobs WHERE peer_kind = ? AND peer_id = ? AND state = 'done'");
    q.bind(1, std::string(to_string(kind)));
    q.bind(2, peer_id);
    q.executeStep();
    return static_cast<std::int32_t>(q.getColumn(0).getInt64());
  });
}

mtp::Status JobStore::forget(std::int64_t job_id) {
  return guarded(path_, [&]() -> mtp::Status {
    SQLite::Statement q(*db_, "DELETE FROM jobs WHERE id = ?");
    q.bind(1, job_id);
    if (q.exec() == 0) return not_found(job_id);
    return {};
  });
}

mtp::Result<int> JobStore::forget_superseded(const JobSpec& s) {
  return guarded(path_, [&]() -> mtp::Result<int> {
    SQLite::Statement q(*db_,
                        "DELETE FROM jobs WHERE peer_kind = ? AND peer_id = ? AND message_id = ? AND output_path = ?"
                        " AND document_id != ? AND state != 'done'");
    q.bind(1, std::string(to_string(s.peer_kind)));
    q.bind(2, s.peer_id);
    q.bind(3, s.message_id);
    q.bind(4, s.output_path.string());
    q.bind(5, s.document_id);
    return q.exec();
  });
}

mtp::Result<int> JobStore::forget_finished() {
  return guarded(path_, [&]() -> mtp::Result<int> {
    SQLite::Statement q(*db_, "DELETE FROM jobs WHERE state = 'done'");
    return q.exec();
  });
}

mtp::Status JobStore::save_progress(std::int64_t job_id, mtp::ByteSpan plan) {
  // (An empty blob would bind as NULL; a planner's blob never is empty.)
  if (plan.empty()) return Error::local(mtp::kErrInvalidArgument, "JOB_SPEC", "an empty plan for job " + std::to_string(job_id));
  return guarded(path_, [&]() -> mtp::Status {
    SQLite::Transaction t(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement touch(*db_, "UPDATE jobs SET updated_at = ? WHERE id = ?");
    touch.bind(1, clock_());
    touch.bind(2, job_id);
    MTP_TRY(expect_one_row(touch, job_id));
    SQLite::Statement put(*db_,
                          "INSERT INTO job_progress(job_id, plan) VALUES(?, ?)"
                          " ON CONFLICT(job_id) DO UPDATE SET plan = excluded.plan");
    put.bind(1, job_id);
    put.bind(2, plan.data(), static_cast<int>(plan.size()));
    put.exec();
    t.commit();
    return {};
  });
}

mtp::Status JobStore::set_state(std::int64_t job_id, JobState state, std::string_view error) {
  return guarded(path_, [&]() -> mtp::Status {
    SQLite::Statement q(*db_, "UPDATE jobs SET state = ?, error = ?, updated_at = ? WHERE id = ?");
    q.bind(1, std::string(to_string(state)));
    q.bind(2, state == JobState::kFailed ? std::string(error) : std::string());
    q.bind(3, clock_());
    q.bind(4, job_id);
    return expect_one_row(q, job_id);
  });
}

mtp::Status JobStore::restart(std::int64_t job_id, const JobSpec& now) {
  MTP_TRY(check_spec(now));
  return guarded(path_, [&]() -> mtp::Status {
    SQLite::Statement q(*db_,
                        "UPDATE jobs SET size = ?, part_size = ?, access_hash = ?, dc_id = ?, state = 'queued',"
                        " error = '', sha256 = NULL, updated_at = ? WHERE id = ?");
    q.bind(1, static_cast<std::int64_t>(now.size));
    q.bind(2, static_cast<std::int64_t>(now.part_size));
    q.bind(3, now.access_hash);
    q.bind(4, now.dc_id);
    q.bind(5, clock_());
    q.bind(6, job_id);
    return update_and_drop_plan(*db_, q, job_id);
  });
}

mtp::Status JobStore::finish(std::int64_t job_id, const mtp::Int256& sha256) {
  return guarded(path_, [&]() -> mtp::Status {
    SQLite::Statement q(*db_, "UPDATE jobs SET state = 'done', error = '', sha256 = ?, updated_at = ? WHERE id = ?");
    q.bind(1, sha256.data(), static_cast<int>(sha256.size()));
    q.bind(2, clock_());
    q.bind(3, job_id);
    return update_and_drop_plan(*db_, q, job_id);
  });
}

mtp::Result<JobLock> JobStore::lock_job(std::int64_t job_id) { return JobLock::acquire(state_dir_ / kLockDir, job_id); }

}  // namespace tgget::storage
