#include "storage/job_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace tgget::storage {
namespace {

mtp::Error lock_io(const std::filesystem::path& path, const char* what) {
  return mtp::Error::local(mtp::kErrIo, "JOB_LOCK_IO", std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

mtp::Result<JobLock> JobLock::acquire(const std::filesystem::path& dir, std::int64_t job_id) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return lock_io(dir, "creating");
  const auto path = dir / (std::to_string(job_id) + ".lock");
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return lock_io(path, "opening");
  // flock locks belong to the open file description: a second open() of the same file, even in
  // this process, conflicts with the first, which is what a second download of the job needs.
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return mtp::Error::local(mtp::kErrIo, "JOB_LOCKED",
                               "job " + std::to_string(job_id) + " is being downloaded by another tgget process");
    }
    errno = err;
    return lock_io(path, "locking");
  }
  return JobLock(fd, job_id);
}

JobLock::JobLock(JobLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)), job_id_(other.job_id_) {}

JobLock& JobLock::operator=(JobLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    job_id_ = other.job_id_;
  }
  return *this;
}

JobLock::~JobLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace tgget::storage
