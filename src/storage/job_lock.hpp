#pragma once
// One process at a time per job: an exclusive flock on "<dir>/<job id>.lock". The kernel drops
// the lock when its holder exits, however it dies (kill -9 included), so a stale lock is never
// left behind and no PID file needs checking. The lock files stay: deleting one that another
// process has open would let a third lock a new file of the same name.
#include <cstdint>
#include <filesystem>

#include "core/result.hpp"

namespace tgget::storage {

class JobLock {
 public:
  // Creates `dir` (0700) when missing. JOB_LOCKED (kErrIo) when another process, or another
  // JobLock of this one, holds the job; other failures are JOB_LOCK_IO with the path.
  static mtp::Result<JobLock> acquire(const std::filesystem::path& dir, std::int64_t job_id);

  JobLock(JobLock&& other) noexcept;
  JobLock& operator=(JobLock&& other) noexcept;
  JobLock(const JobLock&) = delete;
  JobLock& operator=(const JobLock&) = delete;
  ~JobLock();  // releases the lock

  std::int64_t job_id() const { return job_id_; }

 private:
  JobLock(int fd, std::int64_t job_id) : fd_(fd), job_id_(job_id) {}
  int fd_ = -1;
  std::int64_t job_id_ = 0;
};

}  // namespace tgget::storage
