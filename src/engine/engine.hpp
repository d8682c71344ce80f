#pragma once
// One engine serving many files: the per-DC pools (sessions, budget, stall bound, files at once),
// one flood gate, the job store, and a cache of resolved chats so a batch from one channel costs
// one contacts.resolveUsername. The command layer asks it for files and gets results back; every
// file's progress and notices go through the events it passes in.
#include <asio/any_io_executor.hpp>

#include <map>
#include <memory>

#include "client/client.hpp"
#include "core/async_mutex.hpp"
#include "engine/dc_pool.hpp"
#include "engine/file_download.hpp"
#include "engine/flood_gate.hpp"
#include "resolve/message_link.hpp"
#include "resolve/remote_file.hpp"
#include "storage/job_store.hpp"

namespace tgget::engine {

class Engine {
 public:
  Engine(asio::any_io_executor executor, mtp::client::Client& client, storage::JobStore& store, PoolOptions pool,
         DownloadOptions download)
      : executor_(std::move(executor)), client_(client), store_(store), pool_options_(pool), options_(download) {}

  mtp::client::Client& client() { return client_; }
  storage::JobStore& store() { return store_; }
  const DownloadOptions& options() const { return options_; }
  const PoolOptions& pool_options() const { return pool_options_; }
  FloodGate& gate() { return gate_; }
  DcPool& pool(int dc);
  DownloadContext context(int dc) { return DownloadContext{client_, pool(dc), gate_}; }

  // The file of a linked message; the chat is resolved once per engine (single flight).
  asio::awaitable<mtp::Result<RemoteFile>> resolve(const MessageLink& link);
  // A chat by username, or a private channel by id (from the account's dialogs), each resolved
  // once per engine.
  asio::awaitable<mtp::Result<PeerRef>> chat(const std::string& username);
  asio::awaitable<mtp::Result<PeerRef>> channel(std::int64_t channel_id);

 private:
  asio::any_io_executor executor_;
  mtp::client::Client& client_;
  storage::JobStore& store_;
  PoolOptions pool_options_;
  DownloadOptions options_;
  FloodGate gate_;
  std::map<int, std::unique_ptr<DcPool>> pools_;
  mtp::AsyncMutex resolving_;
  std::map<std::string, PeerRef> chats_;  // by lower-case username, or "#id"
};

}  // namespace tgget::engine
