#pragma once
// A schema-driven TL decoder into a generic tree: for tests (checking what a client of an older
// layer receives) and for debug dumps of RPCs.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "layer_schema.hpp"

namespace testdc::layers {

struct DynValue {
  std::string ctor;                // constructor or function name; empty for numbers, bytes, vectors
  std::uint32_t id = 0;            // its id
  std::int64_t number = 0;         // int, long, flags; 1/0 for a true flag
  double real = 0;
  std::string bytes;               // string, bytes, int128, int256 (raw)
  bool is_vector = false;
  std::vector<DynValue> items;     // vector elements
  std::vector<std::pair<std::string, DynValue>> fields;  // present fields in order

  // nullptr when absent (a conditional field not set).
  const DynValue* field(std::string_view name) const;
  bool has(std::string_view name) const { return field(name) != nullptr; }
};

// Decodes one boxed object, boxed vector of objects or function call spanning all of `data`.
mtp::Result<DynValue> decode(const LayerSchema& schema, mtp::ByteSpan data);

}  // namespace testdc::layers
