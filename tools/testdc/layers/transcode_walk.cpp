#include "transcode_walk.hpp"

#include <array>
#include <optional>
#include <string>

#include "tl/reader.hpp"
#include "tl/writer.hpp"

namespace testdc::layers {

namespace {

using mtp::ByteSpan;
using mtp::tl::Reader;
using mtp::tl::Writer;

constexpr int kMaxDepth = 64;         // nesting of objects; real answers stay below 10
constexpr std::size_t kMaxFields = 128;  // parameters of one combinator (api.tl has at most ~70)

std::string hex_id(std::uint32_t id) {
  static const char* digits = "0123456789abcdef";
  std::string s = "#";
  for (int shift = 28; shift >= 0; shift -= 4) s.push_back(digits[(id >> shift) & 0xF]);
  return s;
}

// Wire size of a fixed-size kind, 0 for the others.
std::size_t fixed_size(Kind k) {
  switch (k) {
    case Kind::Int: case Kind::Flags: return 4;
    case Kind::Long: case Kind::Double: return 8;
    case Kind::Int128: return 16;
    case Kind::Int256: return 32;
    default: return 0;
  }
}

struct Slot {
  bool present = false;
  std::uint32_t flags = 0;  // the value of a flags field
  ByteSpan bytes;           // the serialized value
};

class Walker {
 public:
  explicit Walker(const TranscodePlan& plan) : p_(plan) {}

  bool failed() const { return failed_; }
  const mtp::Error& error() const { return error_; }

  void fail(int code, std::string type, std::string detail) {
    if (failed_) return;
    failed_ = true;
    error_ = mtp::Error::local(code, std::move(type), std::move(detail));
  }
  bool check(Reader& r) {
    if (!r.ok() && !failed_) { failed_ = true; error_ = r.error(); }
    return !failed_;
  }

  // One boxed object of any type (top level); `expect_to_type` -1 for any.
  void any_boxed(Reader& r, Writer& w) { boxed(r, -1, -1, w, 0); }

  void function(Reader& r, Writer& w, int depth) {
    const std::uint32_t id = r.uint32();
    if (!check(r) || !deeper(depth)) return;
    const int c = p_.from.find_id(id);
    if (c < 0 || !p_.from.combinators[c].is_function) {
      return fail(mtp::kErrMalformed, "TL_UNKNOWN_ID", "unknown function " + hex_id(id));
    }
    const CtorPlan& plan = p_.ctors[c];
    if (plan.target < 0) {
      return fail(mtp::kErrUnsupported, "TL_NO_COUNTERPART",
                  p_.from.combinators[c].name + " does not exist in layer " + std::to_string(p_.to.layer));
    }
    w.uint32(p_.to.combinators[plan.target].id);
    fields(r, c, plan, w, depth);
  }

  void write_default_ctor(int t, Writer& w, bool boxed_form, int depth) {
    if (!deeper(depth)) return;
    const Combinator& dst = p_.to.combinators[t];
    if (boxed_form) w.uint32(dst.id);
    for (const Field& f : dst.fields) {
      if (!f.conditional()) write_default(f.node, w, depth);
    }
  }

 private:
  bool deeper(int depth) {
    if (depth < kMaxDepth) return !failed_;
    fail(mtp::kErrMalformed, "TL_TOO_DEEP", "objects nested deeper than " + std::to_string(kMaxDepth));
    return false;
  }

  // Reads a boxed object of source type `from_type` (-1: any) and writes it as target type
  // `to_type` (-1: whatever type its counterpart has).
  void boxed(Reader& r, int from_type, int to_type, Writer& w, int depth) {
    const ByteSpan begin = r.rest();
    const std::uint32_t id = r.uint32();
    if (!check(r) || !deeper(depth)) return;
    const int c = p_.from.find_id(id);
    if (c < 0 || p_.from.combinators[c].is_function || (from_type >= 0 && p_.from.combinators[c].type_index != from_type)) {
      const std::string expected = from_type >= 0 ? p_.from.types[from_type].name : "an object";
      return fail(mtp::kErrMalformed, "TL_UNKNOWN_ID", hex_id(id) + " is not " + expected);
    }
    const CtorPlan& plan = p_.ctors[c];
    const bool type_ok = plan.target >= 0 && (to_type < 0 || p_.to.combinators[plan.target].type_index == to_type);
    if (type_ok && plan.same) {
      skip_fields(r, c, depth);
      if (check(r)) w.raw(begin.first(begin.size() - r.remaining()));
      return;
    }
    if (type_ok) {
      w.uint32(p_.to.combinators[plan.target].id);
      return fields(r, c, plan, w, depth);
    }
    const bool type_changed =
        from_type >= 0 && to_type >= 0 && p_.from.types[from_type].name != p_.to.types[to_type].name;
    if ((type_changed || plan.target >= 0) && to_type >= 0 && p_.default_ctor[to_type] >= 0) {
      // A field whose type changed between layers: the target gets its type's simplest value.
      skip_fields(r, c, depth);
      return write_default_ctor(p_.default_ctor[to_type], w, true, depth + 1);
    }
    fail(mtp::kErrUnsupported, "TL_NO_COUNTERPART",
         p_.from.combinators[c].name + " has no counterpart in layer " + std::to_string(p_.to.layer));
  }

  // Transcodes the fields of source combinator c into plan.target (both without the id).
  void fields(Reader& r, int c, const CtorPlan& plan, Writer& w, int depth) {
    const Combinator& src = p_.from.combinators[c];
    const Combinator& dst = p_.to.combinators[plan.target];
    if (src.fields.size() > kMaxFields || dst.fields.size() > kMaxFields) {
      return fail(mtp::kErrUnsupported, "TL_TOO_MANY_FIELDS", src.name);
    }
    std::array<Slot, kMaxFields> in;
    for (std::size_t i = 0; i < src.fields.size(); ++i) {
      const Field& f = src.fields[i];
      Slot& s = in[i];
      s.present = !f.conditional() || (in[f.cond_field].flags >> f.cond_bit & 1u);
      if (!s.present) continue;
      const ByteSpan before = r.rest();
      if (p_.from.nodes[f.node].kind == Kind::Flags) s.flags = r.uint32();
      else skip(r, f.node, depth + 1);
      if (!check(r)) return;
      s.bytes = before.first(before.size() - r.remaining());
    }
    // Flags of the target: one bit per conditional field whose value the source has.
    std::array<std::uint32_t, kMaxFields> out_flags{};
    std::array<char, kMaxFields> from_source{};
    for (std::size_t i = 0; i < dst.fields.size(); ++i) {
      const Field& f = dst.fields[i];
      const int s = plan.fields[i].src;
      from_source[i] = s >= 0 && in[s].present && truthy(src.fields[s], in[s], f);
      if (f.conditional() && from_source[i]) out_flags[f.cond_field] |= 1u << f.cond_bit;
    }
    // Fields sharing a bit (account.password's flags.2) are present together: one the source lacks
    // gets its default rather than leaving the target malformed.
    std::array<char, kMaxFields> out_present{};
    for (std::size_t i = 0; i < dst.fields.size(); ++i) {
      const Field& f = dst.fields[i];
      out_present[i] = !f.conditional() || (out_flags[f.cond_field] >> f.cond_bit & 1u);
    }
    for (std::size_t i = 0; i < dst.fields.size() && !failed_; ++i) {
      const Field& f = dst.fields[i];
      const TypeNode& node = p_.to.nodes[f.node];
      const int s = plan.fields[i].src;
      if (node.kind == Kind::Flags) { w.uint32(out_flags[i]); continue; }
      if (node.kind == Kind::True) continue;
      if (!out_present[i]) continue;
      if (s >= 0 && p_.from.nodes[src.fields[s].node].kind == Kind::True) {
        write_bool(f.node, in[s].present, w, depth);  // flags.N?true in the source, Bool in the target
      } else if (!from_source[i]) {
        write_default(f.node, w, depth + 1);
      } else if (plan.fields[i].copy_raw) {
        w.raw(in[s].bytes);
      } else {
        Reader sub(in[s].bytes);
        value(sub, src.fields[s].node, f.node, w, depth + 1);
        check(sub);
      }
    }
  }

  // Whether a present source value makes target field f present: a Bool becomes a true flag only
  // when it is boolTrue, and a true flag fills only a Bool.
  bool truthy(const Field& from, const Slot& slot, const Field& to) const {
    const bool from_true = p_.from.nodes[from.node].kind == Kind::True;
    const bool to_true = p_.to.nodes[to.node].kind == Kind::True;
    if (to_true && !from_true) return is_bool(p_.from, from.node) && slot.bytes.size() == 4 &&
                                      Reader(slot.bytes).peek_uint32() == mtp::tl::kBoolTrueId;
    if (from_true && !to_true) return is_bool(p_.to, to.node);
    return true;
  }

  static bool is_bool(const LayerSchema& s, int node) {
    return s.nodes[node].kind == Kind::Boxed && s.types[s.nodes[node].ref].name == "Bool";
  }

  void write_bool(int to_node, bool v, Writer& w, int depth) {
    if (is_bool(p_.to, to_node)) w.boolean(v);
    else write_default(to_node, w, depth + 1);
  }

  void value(Reader& r, int a, int b, Writer& w, int depth) {
    const TypeNode& x = p_.from.nodes[a];
    const TypeNode& y = p_.to.nodes[b];
    if (x.kind == y.kind) {
      if (const std::size_t n = fixed_size(x.kind)) return w.raw(r.raw(n));
      switch (x.kind) {
        case Kind::Bytes: return w.bytes(r.bytes_view());
        case Kind::Boxed: return boxed(r, x.ref, y.ref, w, depth);
        case Kind::Query: return function(r, w, depth);
        case Kind::Vector:
        case Kind::BareVector: {
          const std::uint32_t n = x.kind == Kind::Vector ? r.vector_header(1) : r.count(1);
          if (!check(r)) return;
          x.kind == Kind::Vector ? w.vector_header(n) : w.count(n);
          for (std::uint32_t i = 0; i < n && check(r); ++i) value(r, x.elem, y.elem, w, depth);
          return;
        }
        case Kind::Bare:
          if (p_.ctors[x.ref].target == y.ref) return fields(r, x.ref, p_.ctors[x.ref], w, depth);
          break;
        default: break;
      }
    } else if (x.kind == Kind::Int && y.kind == Kind::Long) {
      return w.int64(r.int32());
    } else if (x.kind == Kind::Long && y.kind == Kind::Int) {
      return w.int32(static_cast<std::int32_t>(r.int64()));
    } else if (x.kind == Kind::Double && y.kind == Kind::Int) {
      // documentAttributeVideo.duration became a double in layer 160; older clients get whole seconds.
      const double d = r.float64();
      return w.int32(d > -2147483648.0 && d < 2147483647.0 ? static_cast<std::int32_t>(d) : 0);
    } else if (x.kind == Kind::Int && y.kind == Kind::Double) {
      return w.float64(r.int32());
    }
    // Incompatible types under the same field name: the target gets its default.
    skip(r, a, depth);
    write_default(b, w, depth);
  }

  void skip(Reader& r, int node, int depth) {
    const TypeNode& x = p_.from.nodes[node];
    if (const std::size_t n = fixed_size(x.kind)) return r.skip(n);
    switch (x.kind) {
      case Kind::Bytes: (void)r.bytes_view(); return;
      case Kind::True: return;
      case Kind::Vector:
      case Kind::BareVector: {
        const std::size_t elem = fixed_size(p_.from.nodes[x.elem].kind);
        const std::uint32_t n = x.kind == Kind::Vector ? r.vector_header(elem ? elem : 1) : r.count(elem ? elem : 1);
        if (elem) return r.skip(std::size_t(n) * elem);
        for (std::uint32_t i = 0; i < n && check(r); ++i) skip(r, x.elem, depth);
        return;
      }
      case Kind::Boxed: {
        const std::uint32_t id = r.uint32();
        const int c = p_.from.find_id(id);
        if (!check(r) || !deeper(depth)) return;
        if (c < 0 || p_.from.combinators[c].type_index != x.ref) {
          return fail(mtp::kErrMalformed, "TL_UNKNOWN_ID", hex_id(id) + " is not " + p_.from.types[x.ref].name);
        }
        return skip_fields(r, c, depth + 1);
      }
      case Kind::Bare:
        if (deeper(depth)) skip_fields(r, x.ref, depth + 1);
        return;
      case Kind::Query: {
        const std::uint32_t id = r.uint32();
        const int c = p_.from.find_id(id);
        if (!check(r) || !deeper(depth)) return;
        if (c < 0 || !p_.from.combinators[c].is_function) {
          return fail(mtp::kErrMalformed, "TL_UNKNOWN_ID", "unknown function " + hex_id(id));
        }
        return skip_fields(r, c, depth + 1);
      }
      default: return;
    }
  }

  void skip_fields(Reader& r, int c, int depth) {
    const Combinator& src = p_.from.combinators[c];
    if (src.fields.size() > kMaxFields) return fail(mtp::kErrUnsupported, "TL_TOO_MANY_FIELDS", src.name);
    std::array<std::uint32_t, kMaxFields> flags{};
    for (std::size_t i = 0; i < src.fields.size() && check(r); ++i) {
      const Field& f = src.fields[i];
      if (f.conditional() && !(flags[f.cond_field] >> f.cond_bit & 1u)) continue;
      if (p_.from.nodes[f.node].kind == Kind::Flags) flags[i] = r.uint32();
      else skip(r, f.node, depth);
    }
  }

  void write_default(int node, Writer& w, int depth) {
    const TypeNode& y = p_.to.nodes[node];
    switch (y.kind) {
      case Kind::Int: case Kind::Flags: return w.int32(0);
      case Kind::Long: return w.int64(0);
      case Kind::Double: return w.float64(0);
      case Kind::Int128: return w.int128({});
      case Kind::Int256: return w.int256({});
      case Kind::Bytes: return w.bytes({});
      case Kind::True: return;
      case Kind::Vector: return w.vector_header(0);
      case Kind::BareVector: return w.count(0);
      case Kind::Boxed: {
        const int d = p_.default_ctor[y.ref];
        if (d < 0) return fail(mtp::kErrUnsupported, "TL_NO_DEFAULT", "no value for " + p_.to.types[y.ref].name);
        return write_default_ctor(d, w, true, depth + 1);
      }
      case Kind::Bare: return write_default_ctor(y.ref, w, false, depth + 1);
      case Kind::Query: return fail(mtp::kErrUnsupported, "TL_NO_DEFAULT", "no default for a query");
    }
  }

  const TranscodePlan& p_;
  bool failed_ = false;
  mtp::Error error_;
};

}  // namespace

mtp::Result<std::optional<mtp::Bytes>> transcode_if_needed(const TranscodePlan& plan, ByteSpan data) {
  Reader r(data);
  const std::uint32_t id = r.peek_uint32();
  if (!r.ok()) return r.error();
  Walker walk(plan);
  Writer w;
  if (id == mtp::tl::kVectorId) {
    r.skip(4);
    const std::uint32_t n = r.count(4);
    const std::uint32_t first = n > 0 ? r.peek_uint32() : 0;
    if (!r.ok()) return r.error();
    // Vector<long>, Vector<int>...: the same in every layer.
    if (n == 0 || plan.from.find_id(first) < 0) return std::optional<mtp::Bytes>();
    w.reserve(data.size() + 64);
    w.vector_header(n);
    for (std::uint32_t i = 0; i < n && walk.check(r); ++i) walk.any_boxed(r, w);
  } else {
    const int c = plan.from.find_id(id);
    if (c >= 0 && plan.ctors[c].same) return std::optional<mtp::Bytes>();  // the hot path
    w.reserve(data.size() + 64);
    if (c >= 0 && plan.from.combinators[c].is_function) walk.function(r, w, 0);
    else walk.any_boxed(r, w);
  }
  if (walk.check(r) && !r.at_end()) {
    walk.fail(mtp::kErrMalformed, "TL_TRAILING", std::to_string(r.remaining()) + " bytes after the object");
  }
  if (walk.failed()) return walk.error();
  return std::optional<mtp::Bytes>(w.take());
}

mtp::Result<mtp::Bytes> transcode(const TranscodePlan& plan, ByteSpan data) {
  auto out = transcode_if_needed(plan, data);
  if (!out.ok()) return std::move(out).error();
  if (!out->has_value()) return mtp::Bytes(data.begin(), data.end());
  return std::move(**out);
}

mtp::Result<mtp::Bytes> default_instance(const TranscodePlan& plan, int to_combinator) {
  Walker walk(plan);
  Writer w;
  walk.write_default_ctor(to_combinator, w, true, 0);
  if (walk.failed()) return walk.error();
  return w.take();
}

}  // namespace testdc::layers
