#include "storage/job_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <limits>

#include "engine/part_planner.hpp"
#include "storage/job_schema.hpp"

namespace tgget::storage {
namespace {

using mtp::Error;
using mtp::kErrIo;
namespace fs = std::filesystem;

constexpr const char* kDbName = "jobs.sqlite";
constexpr const char* kLockDir = "job-locks";
constexpr const char* kSelectJob =
    "SELECT j.id, j.link, j.peer_kind, j.peer_id, j.message_id, j.document_id, j.access_hash, j.dc_id, j.size,"
    " j.part_size, j.file_name, j.mime_type, j.output_path, j.state, j.error, j.sha256, j.created_at, j.updated_at,"
    " p.plan FROM jobs j LEFT JOIN job_progress p ON p.job_id = j.id";

// A row that does not make sense; thrown only inside this file and turned into JOB_DB_CORRUPT.
struct Corrupt {
  std::string what;
};

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

template <class Enum, std::size_t N>
Enum parse_enum(const std::string& text, const Enum (&values)[N], const char* column) {
  for (const Enum v : values) {
    if (to_string(v) == text) return v;
  }
  throw Corrupt{std::string("bad ") + column + " '" + text + "'"};
}

constexpr PeerKind kPeerKinds[] = {PeerKind::kUser, PeerKind::kChat, PeerKind::kChannel};
constexpr JobState kStates[] = {JobState::kQueued, JobState::kRunning, JobState::kDone, JobState::kFailed};

// Typed reads of one row; a value of another type or out of range is Corrupt.
class Row {
 public:
  explicit Row(SQLite::Statement& q) : q_(q) {}

  std::int64_t integer(int i, const char* name, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                       std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
    const auto c = q_.getColumn(i);
    if (!c.isInteger() || c.getInt64() < min || c.getInt64() > max) throw Corrupt{std::string("bad ") + name};
    return c.getInt64();
  }
  std::string text(int i, const char* name) {
    const auto c = q_.getColumn(i);
    if (!c.isText()) throw Corrupt{std::string("bad ") + name};
    return c.getString();
  }
  std::optional<mtp::Bytes> blob(int i, const char* name) {
    const auto c = q_.getColumn(i);
    if (c.isNull()) return std::nullopt;
    if (!c.isBlob()) throw Corrupt{std::string("bad ") + name};
    const auto* data = static_cast<const std::uint8_t*>(c.getBlob());
    return mtp::Bytes(data, data + c.getBytes());
  }

 private:
  SQLite::Statement& q_;
};

Job read_job(SQLite::Statement& q) {
  constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
  Row row(q);
  Job job;
  job.id = row.integer(0, "id");
  JobSpec& s = job.spec;
  s.link = row.text(1, "link");
  s.peer_kind = parse_enum(row.text(2, "peer_kind"), kPeerKinds, "peer_kind");
  s.peer_id = row.integer(3, "peer_id");
  s.message_id = static_cast<std::int32_t>(row.integer(4, "message_id", 0, kInt32Max));
  s.document_id = row.integer(5, "document_id");
  s.access_hash = row.integer(6, "access_hash");
  s.dc_id = static_cast<std::int32_t>(row.integer(7, "dc_id", 1, kInt32Max));
  s.size = static_cast<std::uint64_t>(row.integer(8, "size", 0));
  s.part_size = static_cast<std::uint32_t>(row.integer(9, "part_size", 0, kInt32Max));
  if (!engine::valid_part_size(s.part_size)) throw Corrupt{"bad part_size"};
  s.file_name = row.text(10, "file_name");
  s.mime_type = row.text(11, "mime_type");
  s.output_path = row.text(12, "output_path");
  if (!s.output_path.is_absolute()) throw Corrupt{"bad output_path"};
  job.state = parse_enum(row.text(13, "state"), kStates, "state");
  job.error = row.text(14, "error");
  if (auto sha = row.blob(15, "sha256")) {
    if (sha->size() != 32) throw Corrupt{"bad sha256"};
    job.sha256.emplace();
    std::copy(sha->begin(), sha->end(), job.sha256->begin());
  }
  job.created_at = row.integer(16, "created_at");
  job.updated_at = row.integer(17, "updated_at");
  job.plan = row.blob(18, "plan").value_or(mtp::Bytes{});
  return job;
}

Job read_job_of(SQLite::Statement& q, std::int64_t job_id) {
  try {
    return read_job(q);
  } catch (const Corrupt& c) {
    throw Corrupt{"job " + std::to_string(job_id) + ": " + c.what};
  }
}

mtp::Status check_spec(const JobSpec& s) {
  const char* bad = nullptr;
  if (!engine::valid_part_size(s.part_size)) bad = "part size";
  if (s.size > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) bad = "size";
  if (s.dc_id <= 0) bad = "DC";
  if (s.message_id < 0) bad = "message id";
  if (!s.output_path.is_absolute()) bad = "output path (not absolute)";
  if (bad) return Error::local(mtp::kErrInvalidArgument, "JOB_SPEC", std::string("job with a bad ") + bad);
  return {};
}

// An UPDATE of one job: JOB_NOT_FOUND when no row changed.
mtp::Status expect_one_row(SQLite::Statement& q, std::int64_t job_id) {
  if (q.exec() == 0) return not_found(job_id);
  return {};
}

}  // namespace

std::string_view to_string(PeerKind kind) {
  switch (kind) {
    case PeerKind::kUser: return "user";
    case PeerKind::kChat: return "chat";
    case PeerKind::kChannel: return "channel";
  }
  return "?";
}

std::string_view to_string(JobState state) {
  switch (state) {
    case JobState::kQueued: return "queued";
    case JobState::kRunning: return "running";
    case JobState::kDone: return "done";
    case JobState::kFailed: return "failed";
  }
  return "?";
}

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
    SQLite::Statement q(*db_, std::string(kSelectJob) +
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
    SQLite::Statement q(*db_, std::string(kSelectJob) + " WHERE j.id = ?");
    q.bind(1, job_id);
    if (!q.executeStep()) return not_found(job_id);
    return read_job_of(q, job_id);
  });
}

mtp::Result<std::vector<Job>> JobStore::unfinished() {
  return guarded(path_, [&]() -> mtp::Result<std::vector<Job>> {
    SQLite::Statement q(*db_, std::string(kSelectJob) + " WHERE j.state != 'done' ORDER BY j.created_at, j.id");
    std::vector<Job> jobs;
    while (q.executeStep()) jobs.push_back(read_job_of(q, q.getColumn(0).getInt64()));
    return jobs;
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

mtp::Status JobStore::finish(std::int64_t job_id, const mtp::Int256& sha256) {
  return guarded(path_, [&]() -> mtp::Status {
    SQLite::Transaction t(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(*db_, "UPDATE jobs SET state = 'done', error = '', sha256 = ?, updated_at = ? WHERE id = ?");
    q.bind(1, sha256.data(), static_cast<int>(sha256.size()));
    q.bind(2, clock_());
    q.bind(3, job_id);
    MTP_TRY(expect_one_row(q, job_id));
    SQLite::Statement drop(*db_, "DELETE FROM job_progress WHERE job_id = ?");
    drop.bind(1, job_id);
    drop.exec();
    t.commit();
    return {};
  });
}

mtp::Result<JobLock> JobStore::lock_job(std::int64_t job_id) { return JobLock::acquire(state_dir_ / kLockDir, job_id); }

}  // namespace tgget::storage
