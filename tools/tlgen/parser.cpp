#include "parser.hpp"

#include <set>

#include "lexer.hpp"

namespace tlgen {

namespace {

// Builds a message by appending: GCC 12's -Wrestrict misfires on chains of string operator+.
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string s;
  (s.append(parts), ...);
  return s;
}

// Names whose declarations describe the wire encoding itself; the generator knows them natively.
const std::set<std::string> kCoreTypes = {"int", "long", "double", "string", "bytes",
                                          "vector", "Vector", "int128", "int256"};

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string file, Schema& schema)
      : t_(std::move(tokens)), file_(std::move(file)), schema_(schema) {}

  void run() {
    while (peek().kind != Tok::End) {
      const Token& tok = peek();
      if (tok.kind == Tok::Section) {
        functions_ = tok.text == "functions";
        ++pos_;
      } else if (tok.kind == Tok::Layer) {
        if (schema_.layer) fail(tok.line, "layer declared twice");
        schema_.layer = std::stoi(tok.text);
        ++pos_;
      } else {
        declaration();
      }
    }
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  const Token& next() { return t_[pos_ < t_.size() - 1 ? pos_++ : pos_]; }
  bool is_punct(const char* p) const { return peek().kind == Tok::Punct && peek().text == p; }
  [[noreturn]] void fail(int line, const std::string& msg) const { throw ParseError{file_, line, msg}; }
  void expect(const char* p) {
    if (!is_punct(p)) fail(peek().line, cat("expected '", p, "', found '", peek().text, "'"));
    ++pos_;
  }
  std::string ident(const char* what) {
    if (peek().kind != Tok::Ident) fail(peek().line, cat("expected ", what, ", found '", peek().text, "'"));
    return next().text;
  }
  void skip_to_semicolon() {
    while (peek().kind != Tok::End && !is_punct(";")) ++pos_;
    expect(";");
  }

  TypeRef type() {
    TypeRef t;
    if (is_punct("!")) { t.excl = true; ++pos_; }
    if (is_punct("%")) { t.percent = true; ++pos_; }
    t.name = ident("a type");
    if (is_punct("<")) {
      ++pos_;
      t.args.push_back(type());
      while (is_punct(",")) { ++pos_; t.args.push_back(type()); }
      expect(">");
    }
    return t;
  }

  void declaration() {
    Combinator c;
    c.file = file_;
    c.line = peek().line;
    c.is_function = functions_;
    c.name = ident("a combinator name");
    if (kCoreTypes.count(c.name)) { skip_to_semicolon(); return; }
    if (peek().kind == Tok::HashId) {
      const Token& id = next();
      if (id.text.size() > 8) fail(id.line, cat("constructor id longer than 32 bits: #", id.text));
      c.id = static_cast<std::uint32_t>(std::stoul(id.text, nullptr, 16));
      c.explicit_id = true;
    }
    while (is_punct("{")) {
      ++pos_;
      std::string name = ident("a generic parameter");
      expect(":");
      std::string kind = ident("Type");
      if (kind != "Type") fail(peek().line, cat("generic parameter kind must be Type, got ", kind));
      expect("}");
      c.generics.push_back(name);
    }
    while (!is_punct("=")) {
      if (peek().kind == Tok::End) fail(peek().line, cat("unexpected end of file in ", c.name));
      // A core-type body ("? = Int", "# [ t ]", "4*[ int ]") under an unknown name is still a core line.
      if (peek().kind != Tok::Ident) fail(peek().line, cat("unexpected '", peek().text, "' in ", c.name));
      c.params.push_back(param());
    }
    expect("=");
    c.result = type();
    // "Vector t" style results only appear in core lines.
    if (peek().kind == Tok::Ident) fail(peek().line, cat("unexpected '", peek().text, "' after result type"));
    expect(";");
    if (!c.explicit_id) c.id = crc32(normalized_declaration(c));
    (c.is_function ? schema_.functions : schema_.constructors).push_back(std::move(c));
  }

  Param param() {
    Param p;
    int line = peek().line;
    p.name = ident("a parameter name");
    expect(":");
    if (peek().kind == Tok::Hash) {
      ++pos_;
      p.type.name.push_back('#');  // not = "#": GCC 12 -Wrestrict false positive
      return p;
    }
    // flags.3?Type: the lexer keeps "flags.3" as one identifier.
    if (peek().kind == Tok::Ident && t_[pos_ + 1].kind == Tok::Punct && t_[pos_ + 1].text == "?") {
      std::string cond = next().text;
      ++pos_;  // '?'
      auto dot = cond.rfind('.');
      if (dot == std::string::npos || dot + 1 == cond.size()) fail(line, cat("bad condition ", cond));
      p.cond_field = cond.substr(0, dot);
      std::string bit = cond.substr(dot + 1);
      if (bit.size() > 2 || bit.find_first_not_of("0123456789") != std::string::npos) fail(line, cat("bad condition ", cond));
      p.cond_bit = std::stoi(bit);
      if (p.cond_bit < 0 || p.cond_bit > 31) fail(line, cat("flag bit out of range in ", cond));
    }
    p.type = type();
    return p;
  }

  std::vector<Token> t_;
  std::size_t pos_ = 0;
  std::string file_;
  Schema& schema_;
  bool functions_ = false;
};

}  // namespace

void parse_schema(const std::string& source, const std::string& file, Schema& schema) {
  std::vector<Token> tokens;
  try {
    tokens = tokenize(source);
  } catch (const LexError& e) {
    throw ParseError{file, e.line, e.message};
  }
  Parser(std::move(tokens), file, schema).run();
}

}  // namespace tlgen
