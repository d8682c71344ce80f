#include "storage/job_schema.hpp"

#include <SQLiteCpp/Transaction.h>

#include <iterator>
#include <string>

namespace tgget::storage {
namespace {

// Step i takes a database from version i to i + 1. STRICT tables refuse a value of the wrong type,
// so a row read back has the types written unless the file itself is damaged.
constexpr const char* kSteps[] = {
    // 0 → 1: jobs and their saved plans (kept apart: listing jobs never reads the blobs).
    "CREATE TABLE jobs("
    " id INTEGER PRIMARY KEY,"
    " link TEXT NOT NULL,"
    " peer_kind TEXT NOT NULL CHECK(peer_kind IN ('user', 'chat', 'channel')),"
    " peer_id INTEGER NOT NULL,"
    " message_id INTEGER NOT NULL,"
    " document_id INTEGER NOT NULL,"
    " access_hash INTEGER NOT NULL,"
    " dc_id INTEGER NOT NULL,"
    " size INTEGER NOT NULL,"
    " part_size INTEGER NOT NULL,"
    " file_name TEXT NOT NULL,"
    " mime_type TEXT NOT NULL,"
    " output_path TEXT NOT NULL,"
    " state TEXT NOT NULL CHECK(state IN ('queued', 'running', 'done', 'failed')),"
    " error TEXT NOT NULL DEFAULT '',"
    " sha256 BLOB,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " UNIQUE(peer_kind, peer_id, message_id, document_id, output_path)) STRICT;"
    "CREATE INDEX jobs_by_state ON jobs(state, created_at);"
    "CREATE TABLE job_progress("
    " job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,"
    " plan BLOB NOT NULL) STRICT;",
    // 1 → 2: the archive: a finished document is found by its id (also posted again elsewhere),
    // and a chat's newest fetched message by the chat (--new).
    "CREATE INDEX jobs_by_document ON jobs(document_id, state);"
    "CREATE INDEX jobs_by_chat ON jobs(peer_kind, peer_id, state, message_id);",
};
static_assert(std::size(kSteps) == kJobSchemaVersion);

}  // namespace

bool migrate_job_schema(SQLite::Database& db, int* found_version) {
  // IMMEDIATE: two processes opening a new database at once must not both run step 0.
  SQLite::Transaction t(db, SQLite::TransactionBehavior::IMMEDIATE);
  const int version = db.execAndGet("PRAGMA user_version").getInt();
  *found_version = version;
  if (version < 0 || version > kJobSchemaVersion) return false;
  for (int step = version; step < kJobSchemaVersion; ++step) db.exec(kSteps[step]);
  if (version != kJobSchemaVersion) db.exec("PRAGMA user_version = " + std::to_string(kJobSchemaVersion));
  t.commit();
  return true;
}

}  // namespace tgget::storage
