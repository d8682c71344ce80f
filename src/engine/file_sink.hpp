#pragma once
// The output file of one download. Bytes go into "<final>.part" next to the target, preallocated
// to the full size so a full disk shows at the start, not at 97%; each part is pwrite-n at its
// offset as it arrives; finish() renames it to the final name only once it is complete and on disk.
//
// Safety: the .part is opened with O_NOFOLLOW and must be a regular file with one link, so a
// symlink or hard link planted at that path never redirects our bytes elsewhere; writes outside
// [0, size) are refused. The .part is created with mode 0644 & ~umask, like any downloaded file
// (curl and wget honour the umask too): it is the user's content, not a secret of tgget's, and
// finish() only renames it, so the final file keeps that mode.
//
// Every error is a value of code mtp::kErrIo (misuse: kErrInvalidArgument), with these types:
//   DISK_FULL       ENOSPC / EDQUOT (also when preallocating)
//   FILE_TOO_LARGE  EFBIG: the file system or RLIMIT_FSIZE does not allow that size. The process
//                   must ignore SIGXFSZ, or the kernel kills it instead of failing the write.
//   PART_MISSING, PART_RESIZED  (reopen) the .part is gone or has another size: start over
//   PART_SYMLINK, PART_NOT_REGULAR, PART_REPLACED  something else sits at the .part path
//   FILE_IO         any other failure, with the path and strerror
#include <cstdint>
#include <filesystem>
#include <optional>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace tgget::engine {

// "<final>.part", in the same directory (so the last rename never crosses file systems).
std::filesystem::path part_path_for(const std::filesystem::path& final_path);

// A reopen() error that means "the old bytes cannot be trusted: download from the start".
bool is_start_over(const mtp::Error& error);

class FileSink {
 public:
  // A new download: creates "<final>.part" (an existing one is emptied) and preallocates `size`
  // bytes with posix_fallocate, or makes a sparse file where the file system refuses
  // (EOPNOTSUPP / EINVAL; see sparse()).
  static mtp::Result<FileSink> create(const std::filesystem::path& final_path, std::uint64_t size);
  // A resumed download: opens the existing "<final>.part" as it is. PART_MISSING when it is gone,
  // PART_RESIZED when its size is not `size`; it is never created or truncated here.
  static mtp::Result<FileSink> reopen(const std::filesystem::path& final_path, std::uint64_t size);

  FileSink(FileSink&& other) noexcept;
  FileSink& operator=(FileSink&& other) noexcept;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  // Closes the file; an unfinished .part stays for a later resume.
  ~FileSink();

  // pwrite of all of `data` at `offset` (partial writes and EINTR continue); the range must lie
  // within the file's size.
  mtp::Status write(std::uint64_t offset, mtp::ByteSpan data);
  // pread of exactly out.size() bytes at `offset` (the range must lie within the file): bytes
  // written before, read back where the file's digest needs them in order.
  mtp::Status read(std::uint64_t offset, mtp::MutableByteSpan out) const;
  // fdatasync: every write before it is on disk when it returns without error. After an error
  // the state of those writes is unknown (Linux may drop the dirty pages), so the caller must not
  // count them durable; the ones marked durable by an earlier sync stay true. PART_REPLACED when
  // the .part at its path is no longer this file (removed or replaced by someone else).
  mtp::Status sync();
  // The download is complete: the size is checked, the mtime set (the message date, unix
  // seconds, when given), the file fsync'ed, renamed over the final name and the directory
  // fsync'ed so the rename survives a crash. The sink is closed after it, whatever the outcome;
  // an error of the directory fsync comes after the rename, with the final file in place.
  // Whether an existing final file may be replaced is the caller's question, asked before the
  // download starts.
  mtp::Status finish(std::optional<std::int64_t> mtime_unix);

  const std::filesystem::path& final_path() const { return final_path_; }
  const std::filesystem::path& part_path() const { return part_path_; }
  std::uint64_t size() const { return size_; }
  // True when create() found the file system refusing to preallocate and made a sparse file: a
  // full disk then shows as DISK_FULL from write() rather than from create(). (reopen: false.)
  bool sparse() const { return sparse_; }

 private:
  FileSink(std::filesystem::path final_path, int fd, std::uint64_t size, bool sparse);
  void close();
  mtp::Status check_open() const;
  // PART_REPLACED unless part_path_ still names the open file.
  mtp::Status check_still_at_path() const;

  std::filesystem::path final_path_;
  std::filesystem::path part_path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  bool sparse_ = false;
};

}  // namespace tgget::engine
