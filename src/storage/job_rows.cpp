#include "storage/job_rows.hpp"

#include <SQLiteCpp/Column.h>

#include <algorithm>
#include <limits>

#include "engine/part_planner.hpp"

namespace tgget::storage {

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

namespace {

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

Job read_row(SQLite::Statement& q) {
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

}  // namespace

Job read_job(SQLite::Statement& q) {
  try {
    return read_row(q);
  } catch (const Corrupt& c) {
    throw Corrupt{"job " + q.getColumn(0).getString() + ": " + c.what};
  }
}

mtp::Status check_spec(const JobSpec& s) {
  const char* bad = nullptr;
  if (!engine::valid_part_size(s.part_size)) bad = "part size";
  if (s.size > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) bad = "size";
  if (s.dc_id <= 0) bad = "DC";
  if (s.message_id < 0) bad = "message id";
  if (!s.output_path.is_absolute()) bad = "output path (not absolute)";
  if (bad) return mtp::Error::local(mtp::kErrInvalidArgument, "JOB_SPEC", std::string("job with a bad ") + bad);
  return {};
}

}  // namespace tgget::storage
