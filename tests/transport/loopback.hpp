#pragma once
// Runs a loopback test coroutine on its own io_context and checks that it left nothing running.
#include <catch2/catch.hpp>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <chrono>
#include <exception>

namespace mtp::transport::test {

template <class MakeTest>
void run_loopback(MakeTest make_test) {
  asio::io_context io;
  bool finished = false;
  std::exception_ptr failure;
  asio::co_spawn(io, make_test(io.get_executor()), [&](std::exception_ptr e) {
    finished = true;
    failure = e;
  });
  // A safety net only: tests finish in milliseconds; run_for returns as soon as no work is left.
  io.run_for(std::chrono::seconds(60));
  if (failure) std::rethrow_exception(failure);
  REQUIRE(finished);
  CHECK(io.stopped());  // every acceptor, socket, timer and proxy the test started has been stopped
}

}  // namespace mtp::transport::test
