#pragma once
// Parser from tokens to the schema model. Core-type declarations ("int ? = Int;",
// "vector {t:Type} # [ t ] = Vector t;", "int128 4*[ int ] = Int128;") are recognised and skipped.
#include <string>

#include "model.hpp"

namespace tlgen {

struct ParseError {
  std::string file;
  int line;
  std::string message;
  std::string what() const { return file + ":" + std::to_string(line) + ": " + message; }
};

// Appends the declarations of one file to `schema`. Explicit ids are kept as written (checking them
// is verify_ids' job); a declaration without an id gets its CRC32. Throws ParseError.
void parse_schema(const std::string& source, const std::string& file, Schema& schema);

}  // namespace tlgen
