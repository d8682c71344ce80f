#pragma once
// Runtime support for the generated TL code (namespaces mtp::tl::mt and mtp::tl::api):
// the base of boxed types, raw objects for `!X` queries, and generic store/fetch helpers.
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.hpp"
#include "tl/reader.hpp"
#include "tl/writer.hpp"

namespace mtp::tl {

// A boxed TL type holds any one of its constructors. Values are immutable and shared: copying a
// boxed value is a reference-count increment, so deep trees (messages with replies, media...) stay
// cheap to pass around, and recursive types need no special handling.
template <class Self>
class BoxedBase {
 public:
  // 0 for a default-constructed (empty) value, which cannot be stored.
  std::uint32_t id() const { return id_; }
  bool empty() const { return id_ == 0; }

  template <class T>
  bool is() const {
    check<T>();
    return id_ == T::kId;
  }
  template <class T>
  const T* get_if() const {
    check<T>();
    return id_ == T::kId ? static_cast<const T*>(ptr_.get()) : nullptr;
  }
  // Programming error (throws std::logic_error) when the value holds another constructor.
  template <class T>
  const T& get() const {
    if (const T* p = get_if<T>()) return *p;
    throw std::logic_error("TL boxed value holds another constructor");
  }

 protected:
  BoxedBase() = default;
  template <class T>
  void hold(T&& value) {
    using D = std::decay_t<T>;
    id_ = D::kId;
    // One control-block type for every constructor (a const void* with a function-pointer
    // deleter): make_shared<const D> instantiates a control block per constructor, ~1500 of
    // them, which made the boxed dispatch tables by far the slowest file to compile.
    ptr_ = std::shared_ptr<const void>(static_cast<const void*>(new D(std::forward<T>(value))), &destroy<D>);
  }
  const void* held() const { return ptr_.get(); }

 private:
  template <class D>
  static void destroy(const void* held) {
    delete static_cast<const D*>(held);
  }
  template <class T>
  static void check() {
    static_assert(std::is_same_v<typename T::Boxed, Self>, "not a constructor of this boxed type");
  }

  std::uint32_t id_ = 0;
  std::shared_ptr<const void> ptr_;
};

// Helpers shared by generated code (out of line to keep it small).
[[noreturn]] void throw_store_empty(const char* type_name);
// TL_UNKNOWN_ID: a boxed value of `type` starting with an id none of its constructors has.
void fail_unknown_id(Reader& r, std::string_view type, std::uint32_t id);
// TL_BAD_ID: a specific constructor or request expected and another id found.
void fail_wrong_id(Reader& r, std::string_view name, std::uint32_t expected, std::uint32_t found);

// Dispatch tables of boxed types: one entry per constructor, sorted by id. Each entry points to a
// small instantiated function, so a type with 150 constructors does not become one huge function
// (which compilers optimise in superlinear time).
template <class B>
struct BoxedCase {
  std::uint32_t id;
  B (*fetch_bare)(Reader&);
  void (*store)(const void*, Writer&);
};
template <class B, class C>
B fetch_case(Reader& r) {
  return B(C::fetch_bare(r));
}
template <class C>
void store_case(const void* held, Writer& w) {
  static_cast<const C*>(held)->store(w);
}
template <class B>
const BoxedCase<B>* find_case(std::span<const BoxedCase<B>> cases, std::uint32_t id) {
  std::size_t lo = 0, hi = cases.size();
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (cases[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < cases.size() && cases[lo].id == id ? &cases[lo] : nullptr;
}
template <class B>
B fetch_boxed(Reader& r, std::span<const BoxedCase<B>> cases) {
  DepthGuard guard(r);
  const std::uint32_t id = r.uint32();
  if (!r.ok()) return B();
  if (const BoxedCase<B>* c = find_case(cases, id)) return c->fetch_bare(r);
  fail_unknown_id(r, B::kName, id);
  return B();
}
template <class B>
void store_boxed(Writer& w, const B& value, const void* held, std::span<const BoxedCase<B>> cases) {
  const BoxedCase<B>* c = find_case(cases, value.id());
  if (c == nullptr) throw_store_empty(B::kName.data());
  c->store(held, w);
}

// The serialized bytes of one object whose type is not known statically: the `!X` query of a
// generic function (invokeWithLayer<RawObject>) when a server decodes it, or a request serialized
// ahead of time. Storing writes the bytes verbatim; fetching takes everything left in the reader,
// which is right because `!X` is always the last parameter.
struct RawObject {
  using ResultType = RawObject;
  Bytes bytes;
  // The constructor id in the first 4 bytes, 0 if there are fewer.
  std::uint32_t id() const;
  void store(Writer& w) const { w.raw(bytes); }
  static RawObject fetch(Reader& r);
};

template <class T> struct is_std_vector : std::false_type {};
template <class T> struct is_std_vector<std::vector<T>> : std::true_type {};

// The least number of bytes one serialized element of T takes; caps hostile vector counts.
template <class T>
constexpr std::size_t min_wire_size() {
  if constexpr (std::is_same_v<T, Int128>) return 16;
  else if constexpr (std::is_same_v<T, Int256>) return 32;
  else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) return 8;
  else return 4;
}

// Boxed serialisation of any TL value: the built-in types, boxed vectors and generated objects.
// Used for function results (ResultType may be bool, a vector, an int...) and by generated code.
template <class T>
void store_value(Writer& w, const T& v) {
  if constexpr (std::is_same_v<T, bool>) w.boolean(v);
  else if constexpr (std::is_same_v<T, std::int32_t>) w.int32(v);
  else if constexpr (std::is_same_v<T, std::int64_t>) w.int64(v);
  else if constexpr (std::is_same_v<T, double>) w.float64(v);
  else if constexpr (std::is_same_v<T, std::string>) w.string(v);
  else if constexpr (std::is_same_v<T, Bytes>) w.bytes(v);
  else if constexpr (std::is_same_v<T, Int128>) w.int128(v);
  else if constexpr (std::is_same_v<T, Int256>) w.int256(v);
  else if constexpr (is_std_vector<T>::value) {
    w.vector_header(static_cast<std::uint32_t>(v.size()));
    for (const auto& e : v) store_value(w, static_cast<const typename T::value_type&>(e));
  } else {
    v.store(w);
  }
}

template <class T>
T fetch_value(Reader& r) {
  if constexpr (std::is_same_v<T, bool>) return r.boolean();
  else if constexpr (std::is_same_v<T, std::int32_t>) return r.int32();
  else if constexpr (std::is_same_v<T, std::int64_t>) return r.int64();
  else if constexpr (std::is_same_v<T, double>) return r.float64();
  else if constexpr (std::is_same_v<T, std::string>) return r.string();
  else if constexpr (std::is_same_v<T, Bytes>) return r.bytes();
  else if constexpr (std::is_same_v<T, Int128>) return r.int128();
  else if constexpr (std::is_same_v<T, Int256>) return r.int256();
  else if constexpr (is_std_vector<T>::value) {
    using E = typename T::value_type;
    std::uint32_t n = r.vector_header(min_wire_size<E>());
    T out;
    out.reserve(n);
    for (std::uint32_t i = 0; i < n && r.ok(); ++i) out.push_back(fetch_value<E>(r));
    return out;
  } else {
    return T::fetch(r);
  }
}

// Serialises any generated object (boxed, with its id) or value.
template <class T>
Bytes serialize(const T& value) {
  Writer w;
  store_value(w, value);
  return w.take();
}

// Parses one boxed T that must span all of `data`.
template <class T>
Result<T> parse(ByteSpan data) {
  Reader r(data);
  T value = fetch_value<T>(r);
  if (r.ok() && !r.at_end()) r.fail("TL_TRAILING", std::to_string(r.remaining()) + " bytes after the object");
  if (!r.ok()) return r.error();
  return value;
}

}  // namespace mtp::tl
