#pragma once
// The parsed form of a TL schema: combinators (constructors and functions) with their parameters.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tlgen {

struct TypeRef {
  std::string name;              // "int", "Vector", "InputPeer", "upload.File", "X", "#"
  std::vector<TypeRef> args;     // Vector<long> -> args = {long}
  bool percent = false;          // %T: bare form of a boxed type
  bool excl = false;             // !X: the serialized query of a generic parameter
};

struct Param {
  std::string name;
  TypeRef type;
  std::string cond_field;        // "flags" in flags.3?T; empty when unconditional
  int cond_bit = -1;
  bool is_flags() const { return type.name == "#"; }
  bool is_conditional() const { return !cond_field.empty(); }
  bool is_true_flag() const { return is_conditional() && type.name == "true"; }
};

struct Combinator {
  std::string name;              // "upload.getFile"
  std::uint32_t id = 0;
  bool explicit_id = false;
  std::vector<std::string> generics;   // {X:Type} -> "X"
  std::vector<Param> params;
  TypeRef result;
  bool is_function = false;
  std::string file;
  int line = 0;
};

struct Schema {
  std::vector<Combinator> constructors;
  std::vector<Combinator> functions;
  std::optional<int> layer;
};

// Textual form of a type as written in TL ("Vector<long>", "!X", "%Message").
std::string to_tl(const TypeRef& t);

// The string whose CRC32 is a combinator's id, by the rule Telegram's own tooling uses
// (core.telegram.org/mtproto/TL-combinators; the same normalisation as tl-parser and Telethon):
// the declaration without its id, "{X:Type}" without braces, "<"/">" turned into a space/nothing,
// a ":bytes"/"?bytes" parameter written as string, and every "flags.N?true" parameter left out.
std::string normalized_declaration(const Combinator& c);
std::uint32_t crc32(const std::string& data);

}  // namespace tlgen
