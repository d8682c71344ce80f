#pragma once
// C++ code emission for a resolved schema.
//
// Files written for prefix P (all into one output directory):
//   P.hpp           declarations: boxed types, one struct per constructor and function
//   P_<k>.cpp       store/fetch definitions, split into `chunks` files so builds parallelise
//   P_registry.hpp  every combinator's id and name, and a fetch-any/store-again entry point
//   P_registry.cpp
#include <map>
#include <string>

#include "resolve.hpp"

namespace tlgen {

struct EmitOptions {
  std::string prefix;        // file name prefix, e.g. "api"
  std::string include_dir;   // how generated files include each other, e.g. "tl"
  int chunks = 4;
};

// File name -> contents.
using Files = std::map<std::string, std::string>;

Files emit(const Resolved& r, const EmitOptions& opts);

// Pieces shared by the header and source emitters.
namespace emitdetail {
std::string struct_name(const Combinator& c);
std::string hex_id(std::uint32_t id);
// Body of store_bare (uses w_ and this->field) and fetch_bare (fills v_ from r_).
std::string store_body(const Resolved& r, const Combinator& c, const std::string& indent);
std::string fetch_body(const Resolved& r, const Combinator& c, const std::string& indent);
std::string header(const Resolved& r, const EmitOptions& opts);
}  // namespace emitdetail

}  // namespace tlgen
