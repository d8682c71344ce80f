#pragma once
// Rows of the job database to and from the types of job_store.hpp, checked on the way in (a bad
// JobSpec) and on the way out (a row that does not make sense, as a damaged file can hold).
#include <SQLiteCpp/Statement.h>

#include <string>

#include "storage/job_store.hpp"

namespace tgget::storage {

// The columns read_job() reads, in its order; the caller adds WHERE / ORDER BY.
inline constexpr const char* kSelectJobs =
    "SELECT j.id, j.link, j.peer_kind, j.peer_id, j.message_id, j.document_id, j.access_hash, j.dc_id, j.size,"
    " j.part_size, j.file_name, j.mime_type, j.output_path, j.state, j.error, j.sha256, j.created_at, j.updated_at,"
    " p.plan FROM jobs j LEFT JOIN job_progress p ON p.job_id = j.id";

// A row that does not make sense. Thrown only between read_job() and JobStore, which turns it
// into JOB_DB_CORRUPT; it never leaves the library.
struct Corrupt {
  std::string what;
};

// The current row of a kSelectJobs statement; throws Corrupt naming the job.
Job read_job(SQLite::Statement& q);

// JOB_SPEC (kErrInvalidArgument) for a spec the store must not keep.
mtp::Status check_spec(const JobSpec& spec);

}  // namespace tgget::storage
