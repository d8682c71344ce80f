#pragma once
// Tokenizer for TL schema files as Telegram publishes them.
#include <string>
#include <vector>

namespace tlgen {

enum class Tok {
  Ident,     // name, dotted name (upload.getFile) or a condition like flags.3
  Number,    // decimal literal (only in core-type lines such as "int128 4*[ int ]")
  HashId,    // "#1cb5c415": a constructor id written right after a name
  Hash,      // a lone '#', the flags type
  Punct,     // one of : ? < > { } ! % = ; * [ ] ( ) ,
  Section,   // ---functions--- or ---types--- (text is "functions"/"types")
  Layer,     // a "// LAYER N" comment (text is N)
  End,
};

struct Token {
  Tok kind;
  std::string text;
  int line;
};

struct LexError {
  int line;
  std::string message;
};

// Splits a whole file into tokens; comments vanish except the "// LAYER N" marker.
// Throws LexError on a character TL never uses.
std::vector<Token> tokenize(const std::string& source);

}  // namespace tlgen
