// One downloader per job: a second lock, in this process or another, is JOB_LOCKED; the lock
// comes free when its holder releases it or is killed with SIGKILL.
#include <catch2/catch.hpp>

#include <csignal>

#include "engine_test_support.hpp"
#include "storage/job_store.hpp"

using namespace tgget::storage;
using engine_test::error_type;
using engine_test::ScratchDir;

namespace {

// In a child: JOB_LOCKED → 0, granted → 1, any other outcome → 2. Its own store, as a second
// tgget process would open it (the parent's SQLite connection is never used after fork).
int try_lock_in_child(const std::filesystem::path& state, std::int64_t job_id) {
  return engine_test::run_in_child([&] {
    auto store = JobStore::open(state);
    if (!store.ok()) return 2;
    auto lock = (*store)->lock_job(job_id);
    if (lock.ok()) return 1;
    return lock.error().is("JOB_LOCKED") ? 0 : 2;
  });
}

}  // namespace

TEST_CASE("a second lock of the same job in this process is refused until the first is released") {
  ScratchDir scratch;
  auto store = JobStore::open(scratch.path());
  REQUIRE(store.ok());
  {
    auto first = (*store)->lock_job(7);
    REQUIRE(first.ok());
    CHECK(first->job_id() == 7);
    auto second = (*store)->lock_job(7);
    CHECK(error_type(second) == "JOB_LOCKED");
    CHECK(second.error().code == mtp::kErrIo);
    CHECK((*store)->lock_job(8).ok());  // another job is free
    JobLock moved = std::move(first).value();
    CHECK(error_type((*store)->lock_job(7)) == "JOB_LOCKED");  // the moved-to lock still holds
  }
  CHECK((*store)->lock_job(7).ok());
}

TEST_CASE("another process is refused while a holder lives, granted once it is killed with SIGKILL") {
  ScratchDir scratch;
  const auto state = scratch.path();
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t holder = engine_test::start_child([&] {
    auto store = JobStore::open(state);
    if (!store.ok()) return 2;
    auto lock = (*store)->lock_job(42);
    const char byte = lock.ok() ? 'y' : 'n';
    if (::write(ready[1], &byte, 1) != 1) return 3;
    for (;;) ::pause();  // until SIGKILL: no chance to unlock by itself
  });
  ::close(ready[1]);
  char byte = 0;
  REQUIRE(::read(ready[0], &byte, 1) == 1);
  ::close(ready[0]);
  REQUIRE(byte == 'y');

  CHECK(try_lock_in_child(state, 42) == 0);
  auto store = JobStore::open(state);
  REQUIRE(store.ok());
  CHECK(error_type((*store)->lock_job(42)) == "JOB_LOCKED");
  CHECK(try_lock_in_child(state, 43) == 1);

  REQUIRE(::kill(holder, SIGKILL) == 0);
  CHECK(engine_test::wait_child(holder) == 1000 + SIGKILL);
  CHECK(try_lock_in_child(state, 42) == 1);
  CHECK((*store)->lock_job(42).ok());
}
