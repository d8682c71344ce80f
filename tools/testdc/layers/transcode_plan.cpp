#include "transcode_plan.hpp"

#include <tuple>

namespace testdc::layers {

bool ends_with(std::string_view name, std::string_view suffix) {
  return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
}

namespace {

bool scalar(Kind k) {
  return k != Kind::Boxed && k != Kind::Bare && k != Kind::Vector && k != Kind::BareVector && k != Kind::Query;
}

int required_fields(const Combinator& c) {
  int n = 0;
  for (const Field& f : c.fields) n += !f.conditional();
  return n;
}

}  // namespace

TranscodePlan::TranscodePlan(const LayerSchema& from_schema, const LayerSchema& to_schema)
    : from(from_schema), to(to_schema) {
  choose_defaults();
  map_names();
  find_stable();
}

void TranscodePlan::choose_defaults() {
  // A required value the source lacks gets the simplest constructor of its type: preferably one the
  // source layer knows too (so a value filled in on the way up can go down again), then the *Empty
  // one, then the one with the fewest required fields (boolFalse for Bool).
  auto rank = [&](int c) {
    const Combinator& cand = to.combinators[c];
    return std::tuple(from.find_constructor(cand.name) < 0, !ends_with(cand.name, "Empty"), required_fields(cand));
  };
  default_ctor.assign(to.types.size(), -1);
  for (std::size_t t = 0; t < to.types.size(); ++t) {
    int best = -1;
    for (int c : to.types[t].constructors) {
      if (best < 0 || rank(c) < rank(best)) best = c;
    }
    default_ctor[t] = best;
  }
}

int TranscodePlan::replacement(const Combinator& c) const {
  // A constructor the target layer does not have: "...Unsupported" of the same type if it exists
  // (what Telegram sends old clients for new media), else the type's "...Empty" one; else none.
  const int type = to.find_type(c.type);
  if (c.is_function || type < 0) return -1;
  int empty = -1;
  for (int cand : to.types[type].constructors) {
    const std::string& name = to.combinators[cand].name;
    if (ends_with(name, "Unsupported")) return cand;
    if (ends_with(name, "Empty") && empty < 0) empty = cand;
  }
  return empty;
}

CtorPlan TranscodePlan::plan_for(int c, int t) const {
  CtorPlan p;
  p.target = t;
  if (t < 0) return p;
  const Combinator& src = from.combinators[c];
  const Combinator& dst = to.combinators[t];
  p.fields.resize(dst.fields.size());
  for (std::size_t i = 0; i < dst.fields.size(); ++i) {
    for (std::size_t k = 0; k < src.fields.size(); ++k) {
      if (src.fields[k].name == dst.fields[i].name) {
        p.fields[i].src = static_cast<int>(k);
        break;
      }
    }
  }
  return p;
}

void TranscodePlan::map_names() {
  ctors.resize(from.combinators.size());
  for (std::size_t c = 0; c < from.combinators.size(); ++c) {
    const Combinator& src = from.combinators[c];
    int t = src.is_function ? to.find_function(src.name) : to.find_constructor(src.name);
    if (t < 0) t = replacement(src);
    ctors[c] = plan_for(static_cast<int>(c), t);
    ctors[c].same = t >= 0 && to.combinators[t].id == src.id && to.combinators[t].name == src.name;
  }
}

bool TranscodePlan::nodes_equal(int a, int b) const {
  const TypeNode& x = from.nodes[a];
  const TypeNode& y = to.nodes[b];
  if (x.kind != y.kind || !stable[a]) return false;
  switch (x.kind) {
    case Kind::Vector:
    case Kind::BareVector: return nodes_equal(x.elem, y.elem);
    case Kind::Boxed: return from.types[x.ref].name == to.types[y.ref].name;
    case Kind::Bare: return ctors[x.ref].same && ctors[x.ref].target == y.ref;
    case Kind::Query: return false;
    default: return true;
  }
}

void TranscodePlan::find_stable() {
  // Greatest fixpoint: assume every constructor whose id survives is identical, then demote those
  // with a field whose type has a constructor that changed, until nothing changes.
  stable.assign(from.nodes.size(), 1);
  std::vector<char> type_stable(from.types.size(), 1);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t t = 0; t < from.types.size(); ++t) {
      bool all = true;
      for (int c : from.types[t].constructors) all = all && ctors[c].same;
      type_stable[t] = all;
    }
    // Nodes are created children first, so one forward pass settles nested vectors.
    for (std::size_t n = 0; n < from.nodes.size(); ++n) {
      const TypeNode& node = from.nodes[n];
      switch (node.kind) {
        case Kind::Vector:
        case Kind::BareVector: stable[n] = stable[node.elem]; break;
        case Kind::Boxed: stable[n] = type_stable[node.ref]; break;
        case Kind::Bare: stable[n] = ctors[node.ref].same; break;
        case Kind::Query: stable[n] = 0; break;
        default: stable[n] = scalar(node.kind); break;
      }
    }
    for (std::size_t c = 0; c < from.combinators.size(); ++c) {
      if (!ctors[c].same) continue;
      for (const Field& f : from.combinators[c].fields) {
        if (!stable[f.node]) {
          ctors[c].same = false;
          changed = true;
          break;
        }
      }
    }
  }
  for (std::size_t c = 0; c < from.combinators.size(); ++c) {
    CtorPlan& p = ctors[c];
    if (p.target < 0) continue;
    const Combinator& dst = to.combinators[p.target];
    for (std::size_t i = 0; i < p.fields.size(); ++i) {
      FieldPlan& f = p.fields[i];
      if (f.src >= 0) f.copy_raw = nodes_equal(from.combinators[c].fields[f.src].node, dst.fields[i].node);
    }
  }
}

}  // namespace testdc::layers
