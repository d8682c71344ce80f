// Download throughput of the client stack against a local tgget-testdc: one file fetched with
// upload.getFile over N sessions ("lanes", each its own connection) with D requests in flight per
// lane, parts written with pwrite straight from the receive buffer's view, the result checked
// against the original. Prints MB/s and the CPU time per MB of this process (the server runs in
// its own process; on a 2-core machine both compete for the CPU, so compare runs on one machine).
//
//   client_bench [--size-mib 256] [--lanes 4] [--depth 4] [--part-kib 1024]
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <chrono>
#include <fstream>

#include "client/login.hpp"
#include "testdc_process.hpp"
#include "tl/api.hpp"

namespace api = mtp::tl::api;
using namespace tgget::testing;

namespace {

double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"client download throughput against a local tgget-testdc"};
  int size_mib = 256, lanes = 4, depth = 4, part_kib = 1024;
  app.add_option("--size-mib", size_mib)->check(CLI::Range(1, 4096));
  app.add_option("--lanes", lanes)->check(CLI::Range(1, 64));
  app.add_option("--depth", depth)->check(CLI::Range(1, 64));
  app.add_option("--part-kib", part_kib)->check(CLI::IsMember({4, 8, 16, 32, 64, 128, 256, 512, 1024}));
  CLI11_PARSE(app, argc, argv);

  const std::size_t size = static_cast<std::size_t>(size_mib) * 1024 * 1024;
  const std::int32_t part = part_kib * 1024;
  TestDcOptions options;
  options.files["big.bin"] = pattern_bytes(size, 9);
  options.manifest = R"({"dcs": [{"id": 1}, {"id": 2, "media": true}, {"id": 4}],
    "accounts": [{"phone": "15550000001", "code": "12345", "first_name": "Bench"}],
    "channels": [{"username": "bench", "title": "Bench", "messages": [{"text": "big", "document": {"file": "big.bin", "dc": 2}}]}]})";
  TestDcProcess dc(std::move(options));
  const auto out_path = dc.dir() / "out.bin";
  const int fd = ::open(out_path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(size)) != 0) return 1;

  asio::io_context io;
  auto store = mtp::dc::AccountStore::open(dc.dir() / "home.sqlite");
  auto client = mtp::client::Client::create(io.get_executor(), dc.client_config(), *store).value();
  double seconds = 0, cpu = 0;
  std::string failure;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    mtp::client::CodeLogin login{"15550000001", []() -> mtp::Result<std::string> { return std::string("12345"); }, {}};
    auto account = co_await mtp::client::login_with_code(*client, login);
    if (!account) { failure = account.error().to_string(); co_return; }
    const api::contacts_resolveUsername resolve{"bench", std::nullopt};
    auto resolved = co_await client->invoke(resolve);
    if (!resolved) { failure = resolved.error().to_string(); co_return; }
    const auto& chat = resolved->get<api::contacts_resolvedPeer>().chats.at(0).get<api::channel>();
    api::channels_getMessages get;
    get.channel = api::inputChannel{chat.id, chat.access_hash.value_or(0)};
    get.id.push_back(api::inputMessageID{1});
    auto messages = co_await client->invoke(get);
    if (!messages) { failure = messages.error().to_string(); co_return; }
    const auto& m = messages->get<api::messages_channelMessages>().messages.at(0).get<api::message>();
    const auto doc = m.media->get<api::messageMediaDocument>().document->get<api::document>();

    const std::int64_t parts = (static_cast<std::int64_t>(size) + part - 1) / part;
    std::int64_t next = 0;
    int workers = lanes * depth;
    asio::steady_timer done(io, asio::steady_timer::time_point::max());
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    for (int w = 0; w < lanes * depth; ++w) {
      asio::co_spawn(io, [&, lane = w % lanes]() -> asio::awaitable<void> {
        while (next < parts && failure.empty()) {
          const std::int64_t offset = next++ * part;
          api::upload_getFile request;
          request.location = api::inputDocumentFileLocation{doc.id, doc.access_hash, doc.file_reference, ""};
          request.offset = offset;
          request.limit = part;
          mtp::Status status = co_await client->get_file_part(2, request, lane, [&](const mtp::client::FilePartView& p) {
            if (::pwrite(fd, p.bytes.data(), p.bytes.size(), offset) != static_cast<ssize_t>(p.bytes.size())) failure = "pwrite";
          });
          if (!status) failure = status.error().to_string();
        }
        if (--workers == 0) done.cancel();
      }, asio::detached);
    }
    std::error_code ec;
    co_await done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    cpu = cpu_seconds() - cpu_start;
    client->stop();
  }, asio::detached);
  io.run();
  if (!failure.empty()) {
    fmt::print(stderr, "client_bench: {}\n", failure);
    return 1;
  }
  mtp::Bytes got(size);
  const bool same = ::pread(fd, got.data(), size, 0) == static_cast<ssize_t>(size) && got == pattern_bytes(size, 9);
  ::close(fd);
  const double mb = static_cast<double>(size) / 1e6;
  fmt::print("client_bench: {} MiB, {} lanes x {} in flight, {} KiB parts: {:.1f} MB/s wall, client CPU {:.2f} ms/MB, file {}\n",
             size_mib, lanes, depth, part_kib, mb / seconds, cpu * 1000 / mb, same ? "identical" : "DIFFERENT");
  return same ? 0 : 1;
}
