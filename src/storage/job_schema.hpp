#pragma once
// The job database's tables and their versions. PRAGMA user_version is the number of migration
// steps applied; a later issue adds a column by appending one step (never by editing one).
#include <SQLiteCpp/Database.h>

namespace tgget::storage {

inline constexpr int kJobSchemaVersion = 2;

// Brings a database to kJobSchemaVersion in one transaction. Returns false, changing nothing,
// when the database is of a version this tgget does not know (a newer one). Throws SQLite::Exception (the
// caller turns it into an error value).
bool migrate_job_schema(SQLite::Database& db, int* found_version);

}  // namespace tgget::storage
