#include "engine/file_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace tgget::engine {
namespace {

using mtp::Error;
using mtp::kErrIo;
namespace fs = std::filesystem;

Error resized(const fs::path& path, off_t have, std::uint64_t want) {
  return Error::local(kErrIo, "PART_RESIZED", path.string() + " has " + std::to_string(have) + " bytes, the download " +
                                                  std::to_string(want));
}

Error io_error(int err, const fs::path& path, const std::string& what) {
  const std::string where = what + " " + path.string();
  switch (err) {
    case ENOSPC:
    case EDQUOT:
      return Error::local(kErrIo, "DISK_FULL", "disk full: " + where);
    case EFBIG:
      return Error::local(kErrIo, "FILE_TOO_LARGE", "file too large for this file system or limit: " + where);
    default:
      return Error::local(kErrIo, "FILE_IO", where + ": " + std::strerror(err));
  }
}

// O_NOFOLLOW turns a symlink at the path into ELOOP; a FIFO, a device or a second hard link (a
// way to point our writes at another file) is refused once it is open.
mtp::Result<int> open_part(const fs::path& path, int flags) {
  // 0600 while it is a .part (half a file is nobody else's business); finish() gives the done
  // file the mode the user's umask asks for, as any other program's output.
  const int fd = ::open(path.c_str(), flags | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == ELOOP) return Error::local(kErrIo, "PART_SYMLINK", path.string() + " is a symbolic link; not following it");
    if (err == ENOENT && (flags & O_CREAT) == 0) return Error::local(kErrIo, "PART_MISSING", path.string() + " is gone");
    return io_error(err, path, "opening");
  }
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
    ::close(fd);
    return Error::local(kErrIo, "PART_NOT_REGULAR", path.string() + " is not a regular file of its own");
  }
  return fd;
}

// posix_fallocate returns its error instead of setting errno.
mtp::Result<bool> preallocate(int fd, std::uint64_t size, const fs::path& path) {
  if (size == 0) return false;  // posix_fallocate refuses a length of 0
  const int err = ::posix_fallocate(fd, 0, static_cast<off_t>(size));
  if (err == 0) return false;
  if (err != EOPNOTSUPP && err != EINVAL) return io_error(err, path, "preallocating " + std::to_string(size) + " bytes for");
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) return io_error(errno, path, "extending");
  return true;
}

mtp::Status fsync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error(errno, dir, "opening directory");
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Some file systems cannot sync a directory (EINVAL): the rename is as durable as they allow.
  if (rc != 0 && err != EINVAL) return io_error(err, dir, "syncing directory");
  return {};
}

}  // namespace

fs::path part_path_for(const fs::path& final_path) {
  fs::path part = final_path;
  part += ".part";
  return part;
}

bool is_start_over(const Error& error) { return error.is("PART_MISSING") || error.is("PART_RESIZED"); }

FileSink::FileSink(fs::path final_path, int fd, std::uint64_t size, bool sparse)
    : final_path_(std::move(final_path)), part_path_(part_path_for(final_path_)), fd_(fd), size_(size), sparse_(sparse) {}

FileSink::FileSink(FileSink&& other) noexcept
    : final_path_(std::move(other.final_path_)),
      part_path_(std::move(other.part_path_)),
      fd_(std::exchange(other.fd_, -1)),
      size_(other.size_),
      sparse_(other.sparse_) {}

FileSink& FileSink::operator=(FileSink&& other) noexcept {
  if (this != &other) {
    close();
    final_path_ = std::move(other.final_path_);
    part_path_ = std::move(other.part_path_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
    sparse_ = other.sparse_;
  }
  return *this;
}

FileSink::~FileSink() { close(); }

void FileSink::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

mtp::Result<FileSink> FileSink::create(const fs::path& final_path, std::uint64_t size) {
  if (!final_path.has_filename()) {
    return Error::local(mtp::kErrInvalidArgument, "FILE_PATH", "no file name in " + final_path.string());
  }
  const fs::path part = part_path_for(final_path);
  auto fd = open_part(part, O_CREAT);
  if (!fd.ok()) return std::move(fd).error();
  FileSink sink(final_path, *fd, size, false);
  // Emptied first: a fresh start must not keep a byte of an older download.
  if (::ftruncate(*fd, 0) != 0) return io_error(errno, part, "emptying");
  auto sparse = preallocate(*fd, size, part);
  if (!sparse.ok()) {
    // Give back whatever a failed posix_fallocate did allocate: the disk is full already.
    (void)::ftruncate(*fd, 0);
    return std::move(sparse).error();
  }
  sink.sparse_ = *sparse;
  return sink;
}

mtp::Result<FileSink> FileSink::reopen(const fs::path& final_path, std::uint64_t size) {
  const fs::path part = part_path_for(final_path);
  auto fd = open_part(part, 0);
  if (!fd.ok()) return std::move(fd).error();
  FileSink sink(final_path, *fd, size, false);
  struct stat st{};
  if (::fstat(*fd, &st) != 0) return io_error(errno, part, "inspecting");
  if (static_cast<std::uint64_t>(st.st_size) != size) {
    return resized(part, st.st_size, size);
  }
  return sink;
}

mtp::Status FileSink::check_open() const {
  if (fd_ < 0) return Error::local(mtp::kErrInvalidArgument, "SINK_CLOSED", part_path_.string() + " is closed");
  return {};
}

mtp::Status FileSink::write(std::uint64_t offset, mtp::ByteSpan data) {
  MTP_TRY(check_open());
  if (offset > size_ || data.size() > size_ - offset) {
    return Error::local(mtp::kErrInvalidArgument, "WRITE_OUT_OF_RANGE",
                        std::to_string(data.size()) + " bytes at " + std::to_string(offset) + " of a " +
                            std::to_string(size_) + "-byte file");
  }
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(errno, part_path_, "writing");
    if (n == 0) return io_error(EIO, part_path_, "writing (no progress)");
    data = data.subspan(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return {};
}

mtp::Status FileSink::read(std::uint64_t offset, mtp::MutableByteSpan out) const {
  MTP_TRY(check_open());
  if (offset > size_ || out.size() > size_ - offset) {
    return Error::local(mtp::kErrInvalidArgument, "READ_OUT_OF_RANGE",
                        std::to_string(out.size()) + " bytes at " + std::to_string(offset) + " of a " +
                            std::to_string(size_) + "-byte file");
  }
  while (!out.empty()) {
    const ssize_t n = ::pread(fd_, out.data(), out.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(errno, part_path_, "reading back");
    if (n == 0) return io_error(EIO, part_path_, "reading back (shorter than expected)");
    out = out.subspan(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return {};
}

mtp::Status FileSink::sync() {
  MTP_TRY(check_open());
  while (::fdatasync(fd_) != 0) {
    if (errno != EINTR) return io_error(errno, part_path_, "syncing");
  }
  // Bytes synced into a file that was removed or replaced (its directory deleted mid-run, say)
  // are on no disk anyone can reach: they must not be recorded as durable.
  return check_still_at_path();
}

mtp::Status FileSink::check_still_at_path() const {
  struct stat ours{};
  struct stat there{};
  if (::fstat(fd_, &ours) != 0) return io_error(errno, part_path_, "inspecting");
  if (::lstat(part_path_.c_str(), &there) != 0 || there.st_dev != ours.st_dev || there.st_ino != ours.st_ino) {
    return Error::local(kErrIo, "PART_REPLACED",
                        part_path_.string() + " was removed or replaced while tgget wrote it (tgget resume starts it again)");
  }
  return {};
}

mtp::Status FileSink::finish(std::optional<std::int64_t> mtime_unix) {
  MTP_TRY(check_open());
  struct Closer {
    FileSink* sink;
    ~Closer() { sink->close(); }
  } closer{this};
  struct stat ours{};
  if (::fstat(fd_, &ours) != 0) return io_error(errno, part_path_, "inspecting");
  if (static_cast<std::uint64_t>(ours.st_size) != size_) {
    return resized(part_path_, ours.st_size, size_);
  }
  // The rename moves whatever sits at the path: it must still be the file we wrote.
  MTP_TRY(check_still_at_path());
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd_, 0666 & ~mask) != 0) return io_error(errno, part_path_, "setting the mode of");
  // The mtime is set before the fsync so that it is as durable as the bytes.
  if (mtime_unix) {
    const struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(*mtime_unix), 0}};
    if (::futimens(fd_, times) != 0) return io_error(errno, part_path_, "setting the time of");
  }
  while (::fsync(fd_) != 0) {
    if (errno != EINTR) return io_error(errno, part_path_, "syncing");
  }
  if (::rename(part_path_.c_str(), final_path_.c_str()) != 0) return io_error(errno, final_path_, "renaming to");
  const fs::path dir = final_path_.has_parent_path() ? final_path_.parent_path() : fs::path(".");
  return fsync_directory(dir);
}

}  // namespace tgget::engine
