#pragma once
// Result<T>: a value or an Error. Marked nodiscard so a failure cannot be dropped silently.
#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace mtp {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { assert(failed_); return error_; }
  Error&& error() && { assert(failed_); return std::move(error_); }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace mtp

// Propagates an error from an expression returning Result<...>; usable in functions returning any Result.
#define MTP_TRY(expr)                                   \
  do {                                                  \
    auto&& mtp_try_result_ = (expr);                    \
    if (!mtp_try_result_.ok()) return std::move(mtp_try_result_).error(); \
  } while (0)

// MTP_TRY for coroutines (a coroutine cannot `return`).
#define MTP_CO_TRY(expr)                                \
  do {                                                  \
    auto&& mtp_try_result_ = (expr);                    \
    if (!mtp_try_result_.ok()) co_return std::move(mtp_try_result_).error(); \
  } while (0)
