// FileSink: a preallocated .part, bytes landing at their offsets, finish (rename, mtime), resume
// of a vanished or resized .part, a full file size limit as an error value, and paths it refuses.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>

#include "engine/file_sink.hpp"
#include "engine_test_support.hpp"

using namespace tgget::engine;
using engine_test::error_type;
using engine_test::mode_of;
using engine_test::ScratchDir;
namespace fs = std::filesystem;

namespace {

mtp::Bytes pattern(std::size_t n, std::uint8_t seed) {
  mtp::Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7 + (i >> 9));
  return b;
}

mtp::Bytes read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return mtp::Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

FileSink make_sink(const fs::path& final_path, std::uint64_t size) {
  auto sink = FileSink::create(final_path, size);
  REQUIRE(sink.ok());
  return std::move(sink).value();
}

struct Umask {
  mode_t old;
  explicit Umask(mode_t m) : old(::umask(m)) {}
  ~Umask() { ::umask(old); }
};

}  // namespace

TEST_CASE("create: <final>.part next to the target, preallocated, private (0600) whatever the umask") {
  ScratchDir dir;
  const fs::path target = dir / "video.mp4";
  const std::uint64_t size = 3 * 1024 * 1024 + 17;
  {
    Umask u(022);
    FileSink sink = make_sink(target, size);
    CHECK(sink.part_path() == dir / "video.mp4.part");
    CHECK(sink.final_path() == target);
    struct stat st{};
    REQUIRE(::stat(sink.part_path().c_str(), &st) == 0);
    CHECK(static_cast<std::uint64_t>(st.st_size) == size);
    CHECK_FALSE(sink.sparse());  // ext4 and tmpfs preallocate
    CHECK(static_cast<std::uint64_t>(st.st_blocks) * 512 >= size);
    CHECK(mode_of(sink.part_path()) == 0600);
    CHECK_FALSE(fs::exists(target));
  }
  Umask u(077);
  FileSink sink = make_sink(dir / "private.bin", 10);
  CHECK(mode_of(sink.part_path()) == 0600);
}

TEST_CASE("writes land at their offsets, byte for byte, in any order") {
  ScratchDir dir;
  const std::uint64_t size = 5 * 4096 + 123;
  FileSink sink = make_sink(dir / "f.bin", size);
  mtp::Bytes expected(size, 0);  // unwritten ranges read as zeros
  for (const std::uint64_t part : {3u, 0u, 5u, 1u}) {
    const std::size_t len = part == 5 ? 123 : 4096;
    const mtp::Bytes bytes = pattern(len, static_cast<std::uint8_t>(part));
    REQUIRE(sink.write(part * 4096, bytes).ok());
    std::copy(bytes.begin(), bytes.end(), expected.begin() + static_cast<std::ptrdiff_t>(part * 4096));
  }
  REQUIRE(sink.sync().ok());
  CHECK(read_all(sink.part_path()) == expected);
  REQUIRE(sink.write(size, {}).ok());
}

TEST_CASE("writes outside the file are refused, the file untouched") {
  ScratchDir dir;
  FileSink sink = make_sink(dir / "f.bin", 100);
  const mtp::Bytes ten = pattern(10, 1);
  CHECK(error_type(sink.write(91, ten)) == "WRITE_OUT_OF_RANGE");
  CHECK(error_type(sink.write(101, {})) == "WRITE_OUT_OF_RANGE");
  CHECK(error_type(sink.write(~std::uint64_t{0} - 5, ten)) == "WRITE_OUT_OF_RANGE");
  CHECK(sink.write(90, ten).ok());
  CHECK(fs::file_size(sink.part_path()) == 100);
}

TEST_CASE("finish: size checked, renamed to the final name, mtime set to the message date") {
  ScratchDir dir;
  Umask u(022);  // the finished file takes the mode the umask gives: 0644
  const fs::path target = dir / "doc.pdf";
  const mtp::Bytes bytes = pattern(10000, 9);
  FileSink sink = make_sink(target, bytes.size());
  REQUIRE(sink.write(0, bytes).ok());
  const std::int64_t date = 1700000000;  // 2023-11-14
  REQUIRE(sink.finish(date).ok());
  CHECK_FALSE(fs::exists(dir / "doc.pdf.part"));
  CHECK(read_all(target) == bytes);
  struct stat st{};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK(st.st_mtim.tv_sec == date);
  CHECK(st.st_mtim.tv_nsec == 0);
  CHECK(mode_of(target) == 0644);
  CHECK(error_type(sink.write(0, bytes)) == "SINK_CLOSED");
  CHECK(error_type(sink.finish(date)) == "SINK_CLOSED");
}

TEST_CASE("finish of a 0-byte file without a date replaces an existing target") {
  ScratchDir dir;
  const fs::path target = dir / "empty";
  write_text(target, "old content");
  FileSink sink = make_sink(target, 0);
  REQUIRE(sink.finish(std::nullopt).ok());
  CHECK(fs::file_size(target) == 0);
}

TEST_CASE("finish refuses a .part that was resized or replaced behind its back") {
  ScratchDir dir;
  const fs::path target = dir / "f.bin";
  {
    FileSink sink = make_sink(target, 8192);
    REQUIRE(::truncate(sink.part_path().c_str(), 4096) == 0);
    CHECK(error_type(sink.finish(1)) == "PART_RESIZED");
    CHECK_FALSE(fs::exists(target));
  }
  FileSink sink = make_sink(target, 3);
  write_text(dir / "other", "abc");
  fs::rename(dir / "other", sink.part_path());
  CHECK(error_type(sink.finish(1)) == "PART_REPLACED");
  CHECK_FALSE(fs::exists(target));
}

TEST_CASE("sync refuses to call bytes durable once the .part was removed or replaced") {
  ScratchDir dir;
  const fs::path target = dir / "f.bin";
  {
    FileSink sink = make_sink(target, 4096);
    REQUIRE(sink.write(0, pattern(4096, 1)).ok());
    REQUIRE(sink.sync().ok());
    fs::remove(sink.part_path());  // its directory removed mid-run: writes still "succeed"
    REQUIRE(sink.write(0, pattern(4096, 2)).ok());
    CHECK(error_type(sink.sync()) == "PART_REPLACED");
  }
  FileSink sink = make_sink(target, 3);
  write_text(dir / "other", "abc");
  fs::rename(dir / "other", sink.part_path());
  CHECK(error_type(sink.sync()) == "PART_REPLACED");
}

TEST_CASE("reopen keeps the bytes of an intact .part and reports a vanished or resized one") {
  ScratchDir dir;
  const fs::path target = dir / "f.bin";
  const mtp::Bytes first = pattern(4096, 3);
  {
    FileSink sink = make_sink(target, 3 * 4096);
    REQUIRE(sink.write(4096, first).ok());
    REQUIRE(sink.sync().ok());
  }
  {
    auto again = FileSink::reopen(target, 3 * 4096);
    REQUIRE(again.ok());
    const mtp::Bytes second = pattern(4096, 4);
    REQUIRE(again->write(0, second).ok());
    const mtp::Bytes all = read_all(again->part_path());
    REQUIRE(all.size() == 3 * 4096);
    CHECK(mtp::Bytes(all.begin(), all.begin() + 4096) == second);
    CHECK(mtp::Bytes(all.begin() + 4096, all.begin() + 8192) == first);
  }
  auto other_size = FileSink::reopen(target, 3 * 4096 + 1);
  CHECK(error_type(other_size) == "PART_RESIZED");
  CHECK(is_start_over(other_size.error()));
  REQUIRE(::truncate((dir / "f.bin.part").c_str(), 100) == 0);
  auto resized = FileSink::reopen(target, 3 * 4096);
  CHECK(error_type(resized) == "PART_RESIZED");
  fs::remove(dir / "f.bin.part");
  auto vanished = FileSink::reopen(target, 3 * 4096);
  CHECK(error_type(vanished) == "PART_MISSING");
  CHECK(is_start_over(vanished.error()));
  CHECK(vanished.error().code == mtp::kErrIo);
  CHECK_FALSE(fs::exists(dir / "f.bin.part"));  // never created by reopen
}

TEST_CASE("create starts over: an old .part is emptied, not reused") {
  ScratchDir dir;
  const fs::path target = dir / "f.bin";
  write_text(dir / "f.bin.part", std::string(10000, 'x'));
  FileSink sink = make_sink(target, 5000);
  CHECK(read_all(sink.part_path()) == mtp::Bytes(5000, 0));
}

TEST_CASE("a symlink, a hard link or a directory at the .part path is refused, its target untouched") {
  ScratchDir dir;
  const fs::path target = dir / "f.bin";
  const fs::path victim = dir / "victim";
  write_text(victim, "precious");

  fs::create_symlink(victim, dir / "f.bin.part");
  CHECK(error_type(FileSink::create(target, 100)) == "PART_SYMLINK");
  CHECK(error_type(FileSink::reopen(target, 8)) == "PART_SYMLINK");
  fs::remove(dir / "f.bin.part");

  fs::create_symlink(dir / "nowhere", dir / "f.bin.part");  // dangling: O_CREAT would make it
  CHECK(error_type(FileSink::create(target, 100)) == "PART_SYMLINK");
  CHECK_FALSE(fs::exists(dir / "nowhere"));
  fs::remove(dir / "f.bin.part");

  fs::create_hard_link(victim, dir / "f.bin.part");
  CHECK(error_type(FileSink::create(target, 100)) == "PART_NOT_REGULAR");
  CHECK(error_type(FileSink::reopen(target, 8)) == "PART_NOT_REGULAR");
  fs::remove(dir / "f.bin.part");
  CHECK(read_all(victim) == mtp::Bytes{'p', 'r', 'e', 'c', 'i', 'o', 'u', 's'});

  fs::create_directory(dir / "f.bin.part");
  CHECK(error_type(FileSink::create(target, 100)) == "FILE_IO");
  CHECK(error_type(FileSink::create(dir / "missing-dir" / "f.bin", 100)) == "FILE_IO");
}

TEST_CASE("beyond RLIMIT_FSIZE, writes and preallocation fail with FILE_TOO_LARGE, no crash") {
  ScratchDir dir;
  const fs::path target = dir / "big.bin";
  // Limits and signal dispositions are per process: the child has them, the test process not.
  const int code = engine_test::run_in_child([&] {
    std::signal(SIGXFSZ, SIG_IGN);
    auto sink = FileSink::create(target, 1 << 20);
    if (!sink.ok()) return 10;
    const rlimit limit{64 * 1024, 64 * 1024};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 11;
    const mtp::Bytes part = pattern(16 * 1024, 5);
    if (!sink->write(0, part).ok()) return 12;                                        // below the limit
    if (error_type(sink->write(128 * 1024, part)) != "FILE_TOO_LARGE") return 13;    // past it
    if (error_type(sink->write(60 * 1024, part)) != "FILE_TOO_LARGE") return 14;     // across it
    if (sink->write(60 * 1024, part).error().code != mtp::kErrIo) return 15;
    if (error_type(FileSink::create(dir / "other.bin", 1 << 20)) != "FILE_TOO_LARGE") return 16;
    std::error_code ec;
    if (fs::file_size(dir / "other.bin.part", ec) != 0 || ec) return 17;  // nothing left allocated
    return 0;
  });
  CHECK(code == 0);
}
