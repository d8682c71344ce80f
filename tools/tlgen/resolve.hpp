#pragma once
// Maps a parsed schema onto C++: identifiers (keywords and clashes get a '_' suffix), the boxed
// type of each result type, C++ type expressions, and the order structs must be declared in.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model.hpp"

namespace tlgen {

struct Resolved {
  std::string ns;                      // "api": code goes into ::mtp::tl::api
  const Schema* schema = nullptr;
  // Result type name -> indices into schema->constructors (Bool is native and has none).
  std::map<std::string, std::vector<std::size_t>> boxed;
  std::map<std::string, std::size_t> ctor_by_name;
  // Constructors in an order where every struct used by value (bare) precedes its users.
  std::vector<std::size_t> ctor_order;

  std::string qualified(const std::string& cpp_name) const { return "::mtp::tl::" + ns + "::" + cpp_name; }
};

// Identifier for a combinator or type name: "upload.getFile" -> "upload_getFile", "true" -> "true_".
std::string cpp_ident(const std::string& tl_name);
// Identifier for a parameter of a struct called struct_name.
std::string field_ident(const std::string& param, const std::string& struct_name);

bool is_builtin(const std::string& name);  // int long double string bytes int128 int256 Bool

// Builds the maps and checks that every referenced type exists and names do not clash.
// Problems are appended as "file:line: message".
Resolved resolve(const Schema& schema, const std::string& ns, std::vector<std::string>& problems);

// The C++ type of a TL type in the context of combinator c (whose generics become template names).
std::string cpp_type(const Resolved& r, const TypeRef& t, const Combinator& c);
// The C++ type of a parameter: optional<...> for conditionals, bool for flags.N?true.
std::string field_type(const Resolved& r, const Param& p, const Combinator& c);
// True when t contains a bare part (vector<...>, a constructor name, %T) and so needs explicit
// code instead of the generic store_value/fetch_value helpers.
bool has_bare(const Resolved& r, const TypeRef& t, const Combinator& c);
// The constructor a bare reference (constructor name or %Type) stands for.
std::size_t bare_ctor(const Resolved& r, const TypeRef& t);

}  // namespace tlgen
