// The job store's row loader (storage/job_rows.cpp, read_job) on a row a damaged database could
// hold: the 19 columns of kSelectJobs in untyped tables, one record (fuzz_support.hpp) each:
// type byte (0 NULL, 1 integer: 8 bytes LE, 2 text, 3 blob, 4 real) then the value. A row that
// loads goes on to the planner state loader, as JobStore does when it resumes a job.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstring>

#include "engine/part_planner.hpp"
#include "fuzz_support.hpp"
#include "storage/job_rows.hpp"

namespace {

void bind(SQLite::Statement& insert, int index, mtp::ByteSpan record) {
  const std::uint8_t type = record.empty() ? 0 : record[0] % 5;
  const mtp::ByteSpan v = record.empty() ? record : record.subspan(1);
  std::int64_t i = 0;
  double d = 0;
  if (!v.empty()) std::memcpy(&i, v.data(), std::min<std::size_t>(8, v.size()));
  std::memcpy(&d, &i, 8);
  switch (type) {
    case 0: insert.bind(index); break;
    case 1: insert.bind(index, static_cast<std::int64_t>(i)); break;
    case 2: insert.bind(index, std::string(reinterpret_cast<const char*>(v.data()), v.size())); break;
    case 3: insert.bind(index, v.data(), static_cast<int>(v.size())); break;
    default: insert.bind(index, d); break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE jobs(id, link, peer_kind, peer_id, message_id, document_id, access_hash, dc_id, size,"
          " part_size, file_name, mime_type, output_path, state, error, sha256, created_at, updated_at);"
          "CREATE TABLE job_progress(job_id, plan)");
  SQLite::Statement jobs(db, "INSERT INTO jobs VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement progress(db, "INSERT INTO job_progress VALUES(?,?)");
  tgget::fuzz::Records records(mtp::ByteSpan(data, size));
  for (int column = 1; column <= 19; ++column) {
    const mtp::ByteSpan record = records.next().value_or(mtp::ByteSpan());
    if (column == 1) bind(progress, 1, record);  // the join key: the same value in both tables
    bind(column <= 18 ? jobs : progress, column <= 18 ? column : 2, record);
  }
  jobs.exec();
  progress.exec();
  SQLite::Statement q(db, tgget::storage::kSelectJobs);
  while (q.executeStep()) {
    try {
      const tgget::storage::Job job = tgget::storage::read_job(q);
      if (!job.plan.empty()) (void)tgget::engine::PartPlanner::restore(job.plan, job.spec.size, job.spec.part_size);
    } catch (const tgget::storage::Corrupt&) {
      // What JobStore reports as JOB_DB_CORRUPT: the expected outcome for most rows.
    }
  }
  return 0;
}
