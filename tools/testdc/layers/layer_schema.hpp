#pragma once
// One TL layer compiled for walking serialized objects at run time: every combinator with its
// parameters resolved to wire kinds, and lookup tables by id and by name.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace tlgen {
struct Schema;
}

namespace testdc::layers {

// How one value is laid out on the wire.
enum class Kind : std::uint8_t {
  Int,         // int (4 bytes)
  Long,        // long (8)
  Double,      // double (8)
  Int128,      // 16
  Int256,      // 32
  Bytes,       // string or bytes (same encoding)
  Flags,       // '#': a 32-bit field whose bits tell which conditional fields are present
  True,        // flags.N?true: no bytes at all, only the bit
  Boxed,       // a boxed type: constructor id + fields (Bool included)
  Bare,        // %T or a constructor name: fields without the id
  Vector,      // Vector<T>: 0x1cb5c415 + count + elements
  BareVector,  // vector<T>: count + elements
  Query,       // !X: a whole boxed function call
};

// A type as the walker sees it. `ref` is a type index (Boxed) or a combinator index (Bare);
// `elem` the index of the element's TypeNode (vectors). Nodes live in LayerSchema::nodes.
struct TypeNode {
  Kind kind = Kind::Int;
  int ref = -1;
  int elem = -1;
};

struct Field {
  std::string name;
  int node = -1;          // index into LayerSchema::nodes
  int cond_field = -1;    // index of the flags field in the same combinator; -1 when unconditional
  int cond_bit = -1;
  bool conditional() const { return cond_field >= 0; }
};

struct Combinator {
  std::uint32_t id = 0;
  std::string name;       // "upload.getFile"
  std::string type;       // result type ("upload.File")
  int type_index = -1;    // index into LayerSchema::types; -1 for functions
  bool is_function = false;
  std::vector<Field> fields;
};

struct TypeInfo {
  std::string name;                 // "MessageMedia"
  std::vector<int> constructors;    // indices into LayerSchema::combinators
};

class LayerSchema {
 public:
  // Compiles a parsed schema; fails on references to unknown types.
  static mtp::Result<LayerSchema> compile(const tlgen::Schema& schema);
  // Parses and compiles TL source text.
  static mtp::Result<LayerSchema> from_text(std::string_view text, std::string_view file);

  int layer = 0;
  std::vector<Combinator> combinators;
  std::vector<TypeInfo> types;
  std::vector<TypeNode> nodes;

  // -1 when absent.
  int find_id(std::uint32_t id) const;
  int find_constructor(std::string_view name) const;
  int find_function(std::string_view name) const;
  int find_type(std::string_view name) const;

 private:
  std::unordered_map<std::uint32_t, int> by_id_;
  std::unordered_map<std::string, int> ctor_by_name_;
  std::unordered_map<std::string, int> func_by_name_;
  std::unordered_map<std::string, int> type_by_name_;

  friend class SchemaCompiler;
};

}  // namespace testdc::layers
