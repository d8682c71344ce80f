#pragma once
// A mutex for coroutines on one executor: lock() suspends the caller (never the thread) until the
// holder's guard goes out of scope. Used where a step must happen once while many coroutines want
// it at the same moment, e.g. creating a DC's auth key or exporting an authorization to it.
// Not thread-safe: every user runs on the same single-threaded executor.
#include "core/async_semaphore.hpp"

namespace mtp {

class AsyncMutex {
 public:
  using Guard = AsyncSemaphore::Guard;

  asio::awaitable<Guard> lock() { co_return co_await slot_.acquire(); }
  bool locked() const { return slot_.free() == 0; }

 private:
  AsyncSemaphore slot_{1};
};

}  // namespace mtp
