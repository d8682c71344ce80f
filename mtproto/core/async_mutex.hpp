#pragma once
// A mutex for coroutines on one executor: lock() suspends the caller (never the thread) until the
// holder's guard goes out of scope. Used where a step must happen once while many coroutines want
// it at the same moment, e.g. creating a DC's auth key or exporting an authorization to it.
// Not thread-safe: every user runs on the same single-threaded executor.
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <deque>
#include <memory>

namespace mtp {

class AsyncMutex {
 public:
  class Guard {
   public:
    explicit Guard(AsyncMutex* m) : m_(m) {}
    Guard(Guard&& o) noexcept : m_(o.m_) { o.m_ = nullptr; }
    Guard& operator=(Guard&&) = delete;
    ~Guard() {
      if (m_) m_->unlock();
    }

   private:
    AsyncMutex* m_;
  };

  asio::awaitable<Guard> lock() {
    if (!locked_) {
      locked_ = true;
      co_return Guard(this);
    }
    auto executor = co_await asio::this_coro::executor;
    auto waiter = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
    waiters_.push_back(waiter);
    std::error_code ec;
    // unlock() hands the lock over by cancelling the first waiter's timer: locked_ stays true.
    co_await waiter->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return Guard(this);
  }

  bool locked() const { return locked_; }

 private:
  void unlock() {
    if (waiters_.empty()) {
      locked_ = false;
      return;
    }
    auto next = std::move(waiters_.front());
    waiters_.pop_front();
    next->cancel();
  }

  bool locked_ = false;
  std::deque<std::shared_ptr<asio::steady_timer>> waiters_;
};

}  // namespace mtp
