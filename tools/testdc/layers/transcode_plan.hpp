#pragma once
// What transcoding from one layer to another means, decided once per pair of layers: for every
// combinator of the source layer, its counterpart in the target (same name, or a replacement such
// as messageMediaUnsupported), where each target field comes from, and which values are
// byte-for-byte identical in both layers (so they are copied instead of rewritten).
#include <cstdint>
#include <string_view>
#include <vector>

#include "layer_schema.hpp"

namespace testdc::layers {

struct FieldPlan {
  int src = -1;           // index of the source field with the same name; -1: none (write a default)
  bool copy_raw = false;  // same wire form in both layers: copy the source bytes
};

struct CtorPlan {
  int target = -1;        // target combinator; -1: no counterpart and no replacement
  bool same = false;      // identical id and nested types: the whole value is copied verbatim
  std::vector<FieldPlan> fields;  // one per field of the TARGET combinator
};

class TranscodePlan {
 public:
  TranscodePlan(const LayerSchema& from, const LayerSchema& to);

  const LayerSchema& from;
  const LayerSchema& to;
  std::vector<CtorPlan> ctors;        // by source combinator index
  std::vector<int> default_ctor;      // by target type index: written for a missing required value
  std::vector<char> stable;           // by source node index: its values need no rewriting

  // The plan for transcoding source constructor c into target constructor t (its own counterpart
  // or a replacement chosen by the walker); built on the fly only for unplanned pairs.
  CtorPlan plan_for(int c, int t) const;
  // True when a source node and a target node encode identically.
  bool nodes_equal(int from_node, int to_node) const;

 private:
  void map_names();
  void find_stable();
  void choose_defaults();
  int replacement(const Combinator& c) const;
};

// True when `name` ends with `suffix` ("messageMediaUnsupported", "Unsupported").
bool ends_with(std::string_view name, std::string_view suffix);

}  // namespace testdc::layers
