// Every generated type, in one loop: a sample serialisation is synthesised from the schema text
// (independently of the generated code, through tlgen's parser), fetched by the generated code and
// stored again byte for byte; then every strict prefix of it must be rejected with an error.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <random>

#include "model.hpp"
#include "parser.hpp"
#include "tl/api_registry.hpp"
#include "tl/mtproto_registry.hpp"
#include "tl/writer.hpp"

using namespace mtp;

namespace {

class Synthesizer {
 public:
  explicit Synthesizer(const tlgen::Schema& s) : s_(s), rng_(12345) {
    for (const auto& c : s.constructors) {
      if (c.result.name == "Bool") continue;
      by_type_[c.result.name].push_back(&c);
      by_name_[c.name] = &c;
    }
    compute_min_depth();
  }

  // all_flags: every conditional field present (until the depth limit), else none.
  Bytes sample(const tlgen::Combinator& c, bool all_flags) {
    all_flags_ = all_flags;
    tl::Writer w;
    w.uint32(c.id);
    bare(w, c, 0);
    return w.take();
  }

 private:
  static constexpr int kMaxDepth = 3;

  void bare(tl::Writer& w, const tlgen::Combinator& c, int depth) {
    bool deep = depth >= kMaxDepth;
    std::map<std::string, std::uint32_t> flags;
    for (const auto& p : c.params) {
      if (p.is_conditional() && all_flags_ && !deep) flags[p.cond_field] |= 1u << p.cond_bit;
    }
    for (const auto& p : c.params) {
      if (p.is_flags()) w.uint32(flags[p.name]);
      else if (p.is_true_flag()) continue;
      else if (p.is_conditional() && !(flags[p.cond_field] & (1u << p.cond_bit))) continue;
      else value(w, p.type, depth + 1);
    }
  }

  void value(tl::Writer& w, const tlgen::TypeRef& t, int depth) {
    const std::string& n = t.name;
    // !X: any serialized query; the generic request keeps it as raw bytes.
    if (t.excl) { w.uint32(0xc4f9186b); return; }
    if (n == "int") w.int32(static_cast<std::int32_t>(rng_()));
    else if (n == "long") w.int64(static_cast<std::int64_t>(rng_()) << 20);
    else if (n == "double") w.float64(1.25);
    else if (n == "string" || n == "bytes") {
      // Mostly short, sometimes past 253 bytes to exercise the 4-byte length prefix.
      std::size_t len = rng_() % 8 == 0 ? 254 + rng_() % 20 : rng_() % 9;
      std::string v(len, 'a');
      for (auto& ch : v) ch = static_cast<char>('a' + rng_() % 26);
      w.string(v);
    } else if (n == "int128") w.int128(Int128{1, 2, 3});
    else if (n == "int256") w.int256(Int256{4, 5, 6});
    else if (n == "Bool") w.boolean(true);
    else if (n == "Vector" || n == "vector") {
      std::uint32_t count = depth >= kMaxDepth ? 0 : 1 + rng_() % 2;
      if (n == "Vector") w.vector_header(count);
      else w.count(count);
      bool bare_elems = n == "vector" || t.args[0].percent;
      for (std::uint32_t i = 0; i < count; ++i) {
        if (bare_elems && by_type_.count(t.args[0].name) == 0 && by_name_.count(t.args[0].name)) {
          bare(w, *by_name_.at(t.args[0].name), depth + 1);
        } else {
          value(w, t.args[0], depth + 1);
        }
      }
    } else if (by_name_.count(n)) {
      bare(w, *by_name_.at(n), depth);  // a constructor named as a type: bare
    } else {
      const tlgen::Combinator& c = pick(n, depth);
      if (!t.percent) w.uint32(c.id);
      bare(w, c, depth);
    }
  }

  const tlgen::Combinator& pick(const std::string& type, int depth) {
    const auto& ctors = by_type_.at(type);
    if (depth < kMaxDepth) return *ctors[rng_() % ctors.size()];
    return *shallowest_.at(type);  // past the limit: a constructor that ends the recursion
  }

  // For each boxed type, the constructor whose mandatory fields nest the least boxed types.
  void compute_min_depth() {
    std::map<std::string, int> depth;
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& [type, ctors] : by_type_) {
        for (const auto* c : ctors) {
          int d = 0;
          bool known = true;
          for (const auto& p : c->params) {
            if (p.is_flags() || p.is_conditional()) continue;
            std::string inner = (p.type.name == "Vector" || p.type.name == "vector") ? "" : p.type.name;
            if (inner.empty() || !by_type_.count(inner)) continue;
            if (!depth.count(inner)) { known = false; break; }
            d = std::max(d, depth[inner] + 1);
          }
          if (known && (!depth.count(type) || d < depth[type])) {
            depth[type] = d;
            shallowest_[type] = c;
            changed = true;
          }
        }
      }
    }
  }

  const tlgen::Schema& s_;
  std::mt19937 rng_;
  bool all_flags_ = true;
  std::map<std::string, std::vector<const tlgen::Combinator*>> by_type_;
  std::map<std::string, const tlgen::Combinator*> by_name_;
  std::map<std::string, const tlgen::Combinator*> shallowest_;
};

tlgen::Schema load(const char* file) {
  std::ifstream f(std::string(TGGET_SOURCE_DIR) + "/tl-schema/" + file);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  tlgen::Schema s;
  tlgen::parse_schema(text, file, s);
  return s;
}

struct Counts {
  int combinators = 0;
  long prefixes = 0;
};

template <class Restore>
Counts check_schema(const tlgen::Schema& schema, Restore restore) {
  Synthesizer synth(schema);
  Counts counts;
  std::vector<const tlgen::Combinator*> all;
  for (const auto& c : schema.constructors) {
    if (c.result.name != "Bool") all.push_back(&c);
  }
  for (const auto& c : schema.functions) all.push_back(&c);
  for (const auto* c : all) {
    for (bool all_flags : {true, false}) {
      Bytes sample = synth.sample(*c, all_flags);
      INFO(c->name << (all_flags ? " (all flags)" : " (no flags)") << ": " << to_hex(sample));
      auto again = restore(ByteSpan(sample));
      REQUIRE(again.ok());
      REQUIRE(to_hex(*again) == to_hex(sample));
      // A generic request's inner query is "the rest", so its prefixes may legitimately parse.
      if (!c->generics.empty()) continue;
      for (std::size_t cut = 0; cut < sample.size(); ++cut) {
        auto r = restore(ByteSpan(sample).first(cut));
        if (r.ok()) FAIL("prefix of " << cut << " bytes accepted");
        CHECK(r.error().code == kErrMalformed);
        ++counts.prefixes;
      }
    }
    ++counts.combinators;
  }
  return counts;
}

}  // namespace

TEST_CASE("every mtproto.tl combinator round-trips and rejects every truncation") {
  auto counts = check_schema(load("mtproto.tl"), [](ByteSpan b) { return tl::mt::restore_any(b); });
  CHECK(counts.combinators >= 45);
  CHECK(counts.prefixes > 1000);
}

TEST_CASE("every api.tl combinator round-trips and rejects every truncation") {
  auto counts = check_schema(load("api.tl"), [](ByteSpan b) { return tl::api::restore_any(b); });
  CHECK(counts.combinators > 2000);
  CHECK(counts.prefixes > 100000);
}

TEST_CASE("registry lists exactly the schema's combinators") {
  auto schema = load("api.tl");
  std::size_t expected = schema.constructors.size() + schema.functions.size();
  REQUIRE(tl::api::all_combinators().size() == expected);
  for (const auto& c : schema.constructors) CHECK(tl::api::name_of(c.id) == c.name);
  for (const auto& c : schema.functions) CHECK(tl::api::name_of(c.id) == c.name);
}

TEST_CASE("hostile nesting fails with TL_TOO_DEEP instead of exhausting the stack") {
  // inputPeerUserFromMessage#a87b0a1c peer:InputPeer msg_id:int user_id:long, nested 100000 times.
  tl::Writer w;
  for (int i = 0; i < 100000; ++i) w.uint32(0xa87b0a1c);
  auto r = tl::api::restore_any(w.payload());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().type == "TL_TOO_DEEP");
}
