#pragma once
// Coroutines on one executor waiting for "something changed" (a part freed, hashes arrived, a
// flood wait ended) or a deadline, whichever comes first. Each wait uses its own timer, so one
// waiter setting its deadline never cancels another's wait.
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <list>

namespace tgget::engine {

class Wakeup {
 public:
  explicit Wakeup(asio::any_io_executor executor) : executor_(std::move(executor)) {}

  // Wakes every coroutine waiting now.
  void notify() {
    for (auto* t : waiting_) t->cancel();
  }

  // Returns on notify() or at `deadline`.
  asio::awaitable<void> wait_until(std::chrono::steady_clock::time_point deadline) {
    asio::steady_timer timer(executor_, deadline);
    auto it = waiting_.insert(waiting_.end(), &timer);
    std::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    waiting_.erase(it);
  }

 private:
  asio::any_io_executor executor_;
  std::list<asio::steady_timer*> waiting_;
};

}  // namespace tgget::engine
