#include "tl_decode.hpp"

#include "tl/reader.hpp"

namespace testdc::layers {

namespace {

using mtp::tl::Reader;

class Decoder {
 public:
  Decoder(const LayerSchema& s, Reader& r) : s_(s), r_(r) {}

  DynValue any() {
    DynValue v;
    if (r_.peek_uint32() == mtp::tl::kVectorId && r_.ok()) {
      r_.skip(4);
      v.is_vector = true;
      const std::uint32_t n = r_.count(4);
      for (std::uint32_t i = 0; i < n && r_.ok(); ++i) v.items.push_back(object(-1, true, 0));
      return v;
    }
    return object(-1, true, 0);
  }

 private:
  // A combinator: boxed (id first, of type `type` unless -1) or bare (combinator `bare`).
  DynValue object(int type_or_ctor, bool boxed, int depth) {
    DynValue v;
    if (++depth > 64) { r_.fail("TL_TOO_DEEP", "nesting"); return v; }
    int c = type_or_ctor;
    if (boxed) {
      v.id = r_.uint32();
      if (!r_.ok()) return v;
      c = s_.find_id(v.id);
      if (c < 0 || (type_or_ctor >= 0 && s_.combinators[c].type_index != type_or_ctor)) {
        r_.fail("TL_UNKNOWN_ID", "unexpected constructor id " + std::to_string(v.id));
        return v;
      }
    }
    const Combinator& comb = s_.combinators[c];
    v.ctor = comb.name;
    v.id = comb.id;
    for (std::size_t i = 0; i < comb.fields.size() && r_.ok(); ++i) {
      const Field& f = comb.fields[i];
      if (f.conditional()) {
        const DynValue* flags = v.field(comb.fields[f.cond_field].name);
        if (flags == nullptr || !(flags->number >> f.cond_bit & 1)) continue;
      }
      v.fields.emplace_back(f.name, value(f.node, depth));
    }
    return v;
  }

  DynValue value(int node, int depth) {
    const TypeNode& n = s_.nodes[node];
    DynValue v;
    switch (n.kind) {
      case Kind::Int: case Kind::Flags: v.number = r_.uint32(); if (n.kind == Kind::Int) v.number = r_.ok() ? static_cast<std::int32_t>(v.number) : 0; break;
      case Kind::Long: v.number = r_.int64(); break;
      case Kind::Double: v.real = r_.float64(); break;
      case Kind::Int128: { auto x = r_.int128(); v.bytes.assign(x.begin(), x.end()); break; }
      case Kind::Int256: { auto x = r_.int256(); v.bytes.assign(x.begin(), x.end()); break; }
      case Kind::Bytes: { auto x = r_.bytes_view(); v.bytes.assign(x.begin(), x.end()); break; }
      case Kind::True: v.number = 1; break;
      case Kind::Vector:
      case Kind::BareVector: {
        v.is_vector = true;
        const std::uint32_t count = n.kind == Kind::Vector ? r_.vector_header(1) : r_.count(1);
        for (std::uint32_t i = 0; i < count && r_.ok(); ++i) v.items.push_back(value(n.elem, depth));
        break;
      }
      case Kind::Boxed: return object(n.ref, true, depth);
      case Kind::Bare: return object(n.ref, false, depth);
      case Kind::Query: return object(-1, true, depth);
    }
    return v;
  }

  const LayerSchema& s_;
  Reader& r_;
};

}  // namespace

const DynValue* DynValue::field(std::string_view name) const {
  for (const auto& [n, v] : fields) {
    if (n == name) return &v;
  }
  return nullptr;
}

mtp::Result<DynValue> decode(const LayerSchema& schema, mtp::ByteSpan data) {
  Reader r(data);
  DynValue v = Decoder(schema, r).any();
  if (r.ok() && !r.at_end()) r.fail("TL_TRAILING", std::to_string(r.remaining()) + " bytes after the object");
  if (!r.ok()) return r.error();
  return v;
}

}  // namespace testdc::layers
