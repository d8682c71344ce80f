// AsyncMutex: one holder at a time, waiters served in arrival order, the thread never blocks.
#include <catch2/catch.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <vector>

#include "core/async_mutex.hpp"

TEST_CASE("AsyncMutex serialises coroutines in arrival order") {
  asio::io_context io;
  mtp::AsyncMutex mutex;
  std::vector<int> order;
  int inside = 0;
  int most_inside = 0;
  for (int i = 0; i < 5; ++i) {
    asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
      auto guard = co_await mutex.lock();
      ++inside;
      most_inside = std::max(most_inside, inside);
      order.push_back(i);
      // Give the others every chance to barge in while we hold the lock.
      co_await asio::post(io, asio::use_awaitable);
      co_await asio::post(io, asio::use_awaitable);
      --inside;
    }, asio::detached);
  }
  io.run();
  CHECK(most_inside == 1);
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
  CHECK_FALSE(mutex.locked());
}
