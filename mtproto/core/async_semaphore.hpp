#pragma once
// A counting semaphore for coroutines on one executor: acquire() suspends the caller (never the
// thread) until one of `count` slots is free, first come first served; the slot comes back when
// the guard goes out of scope. Not thread-safe: every user runs on the same single-threaded
// executor. (AsyncMutex is the one-slot case.)
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <deque>
#include <memory>

namespace mtp {

class AsyncSemaphore {
 public:
  class Guard {
   public:
    explicit Guard(AsyncSemaphore* s) : s_(s) {}
    Guard(Guard&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
    Guard& operator=(Guard&&) = delete;
    ~Guard() {
      if (s_) s_->release();
    }

   private:
    AsyncSemaphore* s_;
  };

  explicit AsyncSemaphore(int count) : free_(count) {}

  asio::awaitable<Guard> acquire() {
    if (free_ > 0 && waiters_.empty()) {
      --free_;
      co_return Guard(this);
    }
    auto executor = co_await asio::this_coro::executor;
    auto waiter = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
    waiters_.push_back(waiter);
    std::error_code ec;
    // release() hands its slot over by cancelling the first waiter's timer: free_ stays as it is.
    co_await waiter->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return Guard(this);
  }

  int free() const { return free_; }

 private:
  void release() {
    if (waiters_.empty()) {
      ++free_;
      return;
    }
    auto next = std::move(waiters_.front());
    waiters_.pop_front();
    next->cancel();
  }

  int free_;
  std::deque<std::shared_ptr<asio::steady_timer>> waiters_;
};

}  // namespace mtp
