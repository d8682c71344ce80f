// JobStore: private files, jobs and their plans round-trip across processes' worth of reopening,
// progress saved atomically, the unfinished listing, and damage reported as JOB_DB_CORRUPT.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>

#include "storage/job_schema.hpp"
#include "storage/job_store.hpp"
#include "engine_test_support.hpp"

using namespace tgget::storage;
using engine_test::error_type;
using engine_test::mode_of;
using engine_test::ScratchDir;
namespace fs = std::filesystem;

namespace {

// Each call one second later: ordering and updated_at are deterministic.
struct FakeClock {
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(1'700'000'000);
  JobStore::Clock clock() const {
    return [now = now] { return (*now)++; };
  }
};

JobSpec spec(std::int32_t message_id, const fs::path& output) {
  JobSpec s;
  s.link = "https://t.me/somechannel/" + std::to_string(message_id);
  s.peer_kind = PeerKind::kChannel;
  s.peer_id = 1234567890123;
  s.message_id = message_id;
  s.document_id = 5'000'000'000'000'000'000 + message_id;
  s.access_hash = -0x1122334455667788;
  s.dc_id = 4;
  s.size = 3 * 1024 * 1024 + 17;
  s.part_size = 1 << 20;
  s.file_name = "clip \xc3\xa9t\xc3\xa9.mp4";
  s.mime_type = "video/mp4";
  s.output_path = output;
  return s;
}

std::unique_ptr<JobStore> open_store(const fs::path& dir, const FakeClock& clock = {}) {
  auto store = JobStore::open(dir, clock.clock());
  REQUIRE(store.ok());
  return std::move(store).value();
}

void check_spec_equal(const JobSpec& a, const JobSpec& b) {
  CHECK(a.link == b.link);
  CHECK(a.peer_kind == b.peer_kind);
  CHECK(a.peer_id == b.peer_id);
  CHECK(a.message_id == b.message_id);
  CHECK(a.document_id == b.document_id);
  CHECK(a.access_hash == b.access_hash);
  CHECK(a.dc_id == b.dc_id);
  CHECK(a.size == b.size);
  CHECK(a.part_size == b.part_size);
  CHECK(a.file_name == b.file_name);
  CHECK(a.mime_type == b.mime_type);
  CHECK(a.output_path == b.output_path);
}

void sql(const fs::path& db, const std::string& statements) {
  SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
  d.exec(statements);
}

}  // namespace

TEST_CASE("the database is 0600 whatever the umask, in a state directory it makes 0700") {
  ScratchDir scratch;
  const fs::path state = scratch / "state" / "tgget";
  const mode_t old = ::umask(0);
  auto store = open_store(state);
  CHECK(mode_of(state) == 0700);
  CHECK(mode_of(state / "jobs.sqlite") == 0600);
  REQUIRE(store->find_or_create(spec(1, scratch / "a")).ok());
  CHECK(mode_of(state / "jobs.sqlite-wal") == 0600);  // WAL is on
  auto lock = store->lock_job(1);
  ::umask(old);
  REQUIRE(lock.ok());
  CHECK(mode_of(state / "job-locks") == 0700);
  CHECK(mode_of(state / "job-locks" / "1.lock") == 0600);
  store.reset();
  ::chmod((state / "jobs.sqlite").c_str(), 0644);
  open_store(state);
  CHECK(mode_of(state / "jobs.sqlite") == 0600);
}

TEST_CASE("a job round-trips, the same identity finds it again, another output path is another job") {
  ScratchDir scratch;
  const JobSpec s = spec(42, scratch / "out" / "clip.mp4");
  std::int64_t id = 0;
  {
    auto store = open_store(scratch.path());
    auto found = store->find_or_create(s);
    REQUIRE(found.ok());
    CHECK(found->created);
    id = found->job.id;
    check_spec_equal(found->job.spec, s);
    CHECK(found->job.state == JobState::kQueued);
    CHECK(found->job.created_at == 1'700'000'000);
    CHECK(found->job.plan.empty());
    CHECK_FALSE(found->job.sha256);

    JobSpec changed = s;
    changed.link = "t.me/c/other";
    changed.part_size = 4096;  // a stored job keeps its own part size
    auto again = store->find_or_create(changed);
    REQUIRE(again.ok());
    CHECK_FALSE(again->created);
    CHECK(again->job.id == id);
    check_spec_equal(again->job.spec, s);

    JobSpec elsewhere = s;
    elsewhere.output_path = scratch / "out" / "copy.mp4";
    auto other = store->find_or_create(elsewhere);
    REQUIRE(other.ok());
    CHECK(other->created);
    CHECK(other->job.id != id);
  }
  auto store = open_store(scratch.path());  // as a later process sees it
  auto job = store->load(id);
  REQUIRE(job.ok());
  check_spec_equal(job->spec, s);
  CHECK(error_type(store->load(id + 100)) == "JOB_NOT_FOUND");
}

TEST_CASE("a bad spec is refused before it reaches the database") {
  ScratchDir scratch;
  auto store = open_store(scratch.path());
  JobSpec relative = spec(1, "relative/out.bin");
  CHECK(error_type(store->find_or_create(relative)) == "JOB_SPEC");
  JobSpec part = spec(1, scratch / "x");
  part.part_size = 3000;
  CHECK(error_type(store->find_or_create(part)) == "JOB_SPEC");
  JobSpec dc = spec(1, scratch / "x");
  dc.dc_id = 0;
  CHECK(error_type(store->find_or_create(dc)) == "JOB_SPEC");
  CHECK(store->unfinished()->empty());
}

TEST_CASE("progress, states and the finished hash, and unfinished lists what is not done, oldest first") {
  ScratchDir scratch;
  FakeClock clock;
  auto store = open_store(scratch.path(), clock);
  const auto a = store->find_or_create(spec(1, scratch / "a"))->job.id;
  const auto b = store->find_or_create(spec(2, scratch / "b"))->job.id;
  const auto c = store->find_or_create(spec(3, scratch / "c"))->job.id;
  const auto d = store->find_or_create(spec(4, scratch / "d"))->job.id;

  const mtp::Bytes plan1 = {'T', 'G', 'P', 'L', 1, 2, 3};
  const mtp::Bytes plan2 = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  REQUIRE(store->save_progress(b, plan1).ok());
  REQUIRE(store->save_progress(b, plan2).ok());
  REQUIRE(store->set_state(b, JobState::kRunning, "ignored unless failed").ok());
  REQUIRE(store->set_state(c, JobState::kFailed, "message 3 of @somechannel has no file").ok());
  mtp::Int256 sha{};
  for (std::size_t i = 0; i < sha.size(); ++i) sha[i] = static_cast<std::uint8_t>(0xa0 + i);
  REQUIRE(store->save_progress(d, plan1).ok());
  REQUIRE(store->finish(d, sha).ok());

  auto jb = store->load(b);
  REQUIRE(jb.ok());
  CHECK(jb->plan == plan2);
  CHECK(jb->state == JobState::kRunning);
  CHECK(jb->error.empty());
  CHECK(jb->updated_at > jb->created_at);
  auto jd = store->load(d);
  REQUIRE(jd.ok());
  CHECK(jd->state == JobState::kDone);
  REQUIRE(jd->sha256);
  CHECK(*jd->sha256 == sha);
  CHECK(jd->plan.empty());  // dropped with the finish

  auto list = store->unfinished();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 3);
  CHECK((*list)[0].id == a);
  CHECK((*list)[1].id == b);
  CHECK((*list)[1].plan == plan2);
  CHECK((*list)[2].id == c);
  CHECK((*list)[2].state == JobState::kFailed);
  CHECK((*list)[2].error == "message 3 of @somechannel has no file");

  REQUIRE(store->set_state(c, JobState::kQueued).ok());
  CHECK(store->load(c)->error.empty());
  CHECK(error_type(store->save_progress(999, plan1)) == "JOB_NOT_FOUND");
  CHECK(error_type(store->set_state(999, JobState::kDone)) == "JOB_NOT_FOUND");
  CHECK(error_type(store->finish(999, sha)) == "JOB_NOT_FOUND");
  CHECK(error_type(store->save_progress(a, {})) == "JOB_SPEC");
}

TEST_CASE("save_progress is one transaction: a failure in it leaves the old plan and time") {
  ScratchDir scratch;
  auto store = open_store(scratch.path());
  const auto id = store->find_or_create(spec(1, scratch / "a"))->job.id;
  const mtp::Bytes old_plan = {1, 1, 1};
  REQUIRE(store->save_progress(id, old_plan).ok());
  const auto before = store->load(id);
  REQUIRE(before.ok());
  // The plan is written after updated_at: make that second write fail.
  sql(store->path(),
      "CREATE TRIGGER fail_plan_insert BEFORE INSERT ON job_progress BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;"
      "CREATE TRIGGER fail_plan_update BEFORE UPDATE ON job_progress BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");
  auto saved = store->save_progress(id, mtp::Bytes{2, 2, 2});
  CHECK(error_type(saved) == "JOB_DB");
  const auto after = store->load(id);
  REQUIRE(after.ok());
  CHECK(after->plan == old_plan);
  CHECK(after->updated_at == before->updated_at);
}

TEST_CASE("a file that is not a database, or a damaged page, is JOB_DB_CORRUPT") {
  ScratchDir scratch;
  SECTION("garbage") {
    std::string junk(8192, '\0');
    for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>(i * 31 + 7);
    std::ofstream(scratch / "jobs.sqlite", std::ios::binary) << junk;
    CHECK(error_type(JobStore::open(scratch.path())) == "JOB_DB_CORRUPT");
  }
  SECTION("a damaged page of the jobs table") {
    {
      auto store = open_store(scratch.path());
      for (int i = 1; i <= 20; ++i) REQUIRE(store->find_or_create(spec(i, scratch / std::to_string(i))).ok());
    }
    // Page 2 is the root of `jobs`, the first table made (page size 4096).
    const int fd = ::open((scratch / "jobs.sqlite").c_str(), O_WRONLY);
    REQUIRE(fd >= 0);
    const std::string noise(4096, '\x5a');
    REQUIRE(::pwrite(fd, noise.data(), noise.size(), 4096) == 4096);
    ::close(fd);
    auto store = JobStore::open(scratch.path());
    if (store.ok()) {
      CHECK(error_type((*store)->unfinished()) == "JOB_DB_CORRUPT");
      CHECK(error_type((*store)->load(1)) == "JOB_DB_CORRUPT");
    } else {
      CHECK(error_type(store) == "JOB_DB_CORRUPT");
    }
  }
}

TEST_CASE("rows that do not make sense are JOB_DB_CORRUPT, naming the job") {
  ScratchDir scratch;
  auto store = open_store(scratch.path());
  std::int64_t id = store->find_or_create(spec(7, scratch / "a"))->job.id;
  const char* damage[] = {
      "UPDATE jobs SET part_size = 3000",
      "UPDATE jobs SET size = -5",
      "UPDATE jobs SET dc_id = 0",
      "UPDATE jobs SET sha256 = x'0102'",
      "UPDATE jobs SET output_path = 'relative'",
      "PRAGMA ignore_check_constraints = ON; UPDATE jobs SET state = 'paused'",
      "PRAGMA ignore_check_constraints = ON; UPDATE jobs SET peer_kind = 'bot'",
  };
  for (const char* statement : damage) {
    CAPTURE(statement);
    const std::string where = " WHERE id = " + std::to_string(id);
    auto fresh = store->find_or_create(spec(8, scratch / "b"));  // a healthy neighbour
    REQUIRE(fresh.ok());
    sql(store->path(), statement + where);
    auto job = store->load(id);
    REQUIRE(error_type(job) == "JOB_DB_CORRUPT");
    CHECK(job.error().detail.find("job " + std::to_string(id)) != std::string::npos);
    CHECK(error_type(store->unfinished()) == "JOB_DB_CORRUPT");
    CHECK(store->load(fresh->job.id).ok());
    sql(store->path(), "DELETE FROM jobs" + where);
    const auto again = store->find_or_create(spec(7, scratch / "a"));
    REQUIRE(again.ok());
    id = again->job.id;
  }
}

TEST_CASE("a database of a newer schema version is refused, not rewritten") {
  ScratchDir scratch;
  open_store(scratch.path());
  const int newer = tgget::storage::kJobSchemaVersion + 1;
  sql(scratch / "jobs.sqlite", "PRAGMA user_version = " + std::to_string(newer));
  auto store = JobStore::open(scratch.path());
  CHECK(error_type(store) == "JOB_DB_VERSION");
  SQLite::Database d((scratch / "jobs.sqlite").string(), SQLite::OPEN_READONLY);
  CHECK(d.execAndGet("PRAGMA user_version").getInt() == newer);
}

TEST_CASE("the archive finds a finished document by id, in any message, and the newest message of a chat") {
  ScratchDir scratch;
  auto store = open_store(scratch.path());
  JobSpec first = spec(10, scratch / "a.bin");
  JobSpec repost = spec(20, scratch / "b.bin");
  repost.document_id = first.document_id;  // the same document posted again
  repost.peer_id = 42;                     // in another chat
  auto a = store->find_or_create(first);
  auto b = store->find_or_create(repost);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  auto none = store->finished_document(first.document_id);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());  // not finished yet: nothing archived
  CHECK(store->newest_finished_message(PeerKind::kChannel, first.peer_id).value() == 0);

  mtp::Int256 sha{};
  sha[0] = 0xab;
  REQUIRE(store->finish(a->job.id, sha).ok());
  auto found = store->finished_document(first.document_id);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->id == a->job.id);
  CHECK((*found)->sha256 == sha);
  CHECK(store->newest_finished_message(PeerKind::kChannel, first.peer_id).value() == 10);
  CHECK(store->newest_finished_message(PeerKind::kChannel, 42).value() == 0);  // the repost is not done
  CHECK(store->newest_finished_message(PeerKind::kUser, first.peer_id).value() == 0);

  auto owner = store->output_owner(scratch / "b.bin");
  REQUIRE(owner.ok());
  REQUIRE(owner->has_value());
  CHECK((*owner)->id == b->job.id);
  CHECK_FALSE(store->output_owner(scratch / "c.bin").value().has_value());
}

TEST_CASE("forget drops one job or every finished one, and nothing else") {
  ScratchDir scratch;
  auto store = open_store(scratch.path());
  auto a = store->find_or_create(spec(1, scratch / "a.bin"));
  auto b = store->find_or_create(spec(2, scratch / "b.bin"));
  auto c = store->find_or_create(spec(3, scratch / "c.bin"));
  REQUIRE((a.ok() && b.ok() && c.ok()));
  REQUIRE(store->finish(a->job.id, mtp::Int256{}).ok());
  REQUIRE(store->save_progress(c->job.id, mtp::Bytes{1, 2, 3}).ok());
  CHECK(store->forget_finished().value() == 1);
  CHECK(store->all().value().size() == 2);
  REQUIRE(store->forget(c->job.id).ok());
  CHECK(error_type(store->forget(c->job.id)) == "JOB_NOT_FOUND");
  const auto left = store->all().value();
  REQUIRE(left.size() == 1);
  CHECK(left[0].id == b->job.id);
  SQLite::Database d((scratch / "jobs.sqlite").string(), SQLite::OPEN_READONLY);
  CHECK(d.execAndGet("SELECT COUNT(*) FROM job_progress").getInt() == 0);  // its plan went with it
}

TEST_CASE("restart takes a changed document's new description and drops its plan, hash and error") {
  ScratchDir scratch;
  auto store = open_store(scratch.path());
  const JobSpec old_spec = spec(1, scratch / "a.bin");
  const auto id = store->find_or_create(old_spec)->job.id;
  REQUIRE(store->save_progress(id, mtp::Bytes{1, 2, 3}).ok());
  REQUIRE(store->set_state(id, JobState::kFailed, "FILE_CHANGED").ok());
  JobSpec now = old_spec;
  now.size += 777;
  now.part_size = 1 << 18;
  now.access_hash = 42;
  now.dc_id = 2;
  REQUIRE(store->restart(id, now).ok());
  auto job = store->load(id);
  REQUIRE(job.ok());
  CHECK(job->spec.size == now.size);
  CHECK(job->spec.part_size == now.part_size);
  CHECK(job->spec.access_hash == 42);
  CHECK(job->spec.dc_id == 2);
  CHECK(job->plan.empty());
  CHECK(job->state == JobState::kQueued);
  CHECK(job->error.empty());
  CHECK_FALSE(job->sha256.has_value());
  // Still the same job: the same identity finds it, with the new size.
  CHECK(store->find_or_create(old_spec)->job.id == id);
  CHECK(store->find_or_create(old_spec)->job.spec.size == now.size);
  CHECK(error_type(store->restart(999, now)) == "JOB_NOT_FOUND");
  now.part_size = 3;
  CHECK(error_type(store->restart(id, now)) == "JOB_SPEC");
}

TEST_CASE("forget_superseded drops the unfinished jobs of the same message and path with another document") {
  ScratchDir scratch;
  auto store = open_store(scratch.path());
  const JobSpec v1 = spec(1, scratch / "a.bin");
  JobSpec v2 = v1;
  v2.document_id += 1000;  // the message's file replaced
  JobSpec elsewhere = v1;
  elsewhere.output_path = scratch / "b.bin";
  JobSpec other_message = spec(2, scratch / "a.bin");
  const auto old_id = store->find_or_create(v1)->job.id;
  const auto elsewhere_id = store->find_or_create(elsewhere)->job.id;
  const auto other_id = store->find_or_create(other_message)->job.id;
  JobSpec done_before = v1;
  done_before.document_id += 2000;
  const auto done_id = store->find_or_create(done_before)->job.id;
  REQUIRE(store->finish(done_id, mtp::Int256{}).ok());  // finished jobs are the archive: kept
  const auto new_id = store->find_or_create(v2)->job.id;
  CHECK(store->forget_superseded(v2).value() == 1);
  CHECK(error_type(store->load(old_id)) == "JOB_NOT_FOUND");
  for (auto kept : {elsewhere_id, other_id, done_id, new_id}) CHECK(store->load(kept).ok());
  CHECK(store->forget_superseded(v2).value() == 0);
}
