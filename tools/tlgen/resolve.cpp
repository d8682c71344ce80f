#include "resolve.hpp"

#include <algorithm>
#include <functional>

namespace tlgen {

namespace {

const std::set<std::string> kReservedWords = {
    // C++ keywords and alternative tokens
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case",
    "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const",
    "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await", "co_return",
    "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int",
    "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
    "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return",
    "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch",
    "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    "final", "override", "import", "module",
    // macros that the C library may define
    "errno", "assert", "linux", "unix", "major", "minor", "NULL", "EOF", "stdin", "stdout", "stderr",
};

// Members every generated struct has; a parameter with one of these names gets a suffix.
const std::set<std::string> kMemberNames = {"kId", "kName", "Boxed", "ResultType", "store",
                                            "store_bare", "fetch", "fetch_bare"};

// Namespace-level names of the generated code and runtime.
const std::set<std::string> kNamespaceNames = {"kLayer", "CombinatorInfo", "all_combinators",
                                               "name_of", "restore_any"};

const std::set<std::string> kBuiltins = {"int", "long", "double", "string", "bytes",
                                         "int128", "int256", "Bool"};

std::string where(const Combinator& c) { return c.file + ":" + std::to_string(c.line) + ": "; }

}  // namespace

bool is_builtin(const std::string& name) { return kBuiltins.count(name) != 0; }

std::string cpp_ident(const std::string& tl_name) {
  std::string s = tl_name;
  std::replace(s.begin(), s.end(), '.', '_');
  if (kReservedWords.count(s) || kNamespaceNames.count(s)) s += '_';
  return s;
}

std::string field_ident(const std::string& param, const std::string& struct_name) {
  std::string s = param;
  if (kReservedWords.count(s) || kMemberNames.count(s) || s == struct_name) s += '_';
  return s;
}

std::size_t bare_ctor(const Resolved& r, const TypeRef& t) {
  if (t.percent) return r.boxed.at(t.name).front();
  return r.ctor_by_name.at(t.name);
}

bool has_bare(const Resolved& r, const TypeRef& t, const Combinator& c) {
  if (t.excl || std::count(c.generics.begin(), c.generics.end(), t.name)) return false;
  if (t.name == "vector" || t.percent || r.ctor_by_name.count(t.name)) return true;
  for (const auto& a : t.args) {
    if (has_bare(r, a, c)) return true;
  }
  return false;
}

std::string cpp_type(const Resolved& r, const TypeRef& t, const Combinator& c) {
  if (t.excl || std::count(c.generics.begin(), c.generics.end(), t.name)) return t.name;
  const std::string& n = t.name;
  if (n == "int") return "std::int32_t";
  if (n == "long") return "std::int64_t";
  if (n == "double") return "double";
  if (n == "string") return "std::string";
  if (n == "bytes") return "::mtp::Bytes";
  if (n == "int128") return "::mtp::Int128";
  if (n == "int256") return "::mtp::Int256";
  if (n == "Bool") return "bool";
  if (n == "Vector" || n == "vector") return "std::vector<" + cpp_type(r, t.args.at(0), c) + ">";
  if (t.percent || r.ctor_by_name.count(n)) {
    return r.qualified(cpp_ident(r.schema->constructors[bare_ctor(r, t)].name));
  }
  return r.qualified(cpp_ident(n));
}

std::string field_type(const Resolved& r, const Param& p, const Combinator& c) {
  if (p.is_true_flag()) return "bool";
  std::string t = cpp_type(r, p.type, c);
  return p.is_conditional() ? "std::optional<" + t + ">" : t;
}

namespace {

void check_type(const Resolved& r, const TypeRef& t, const Combinator& c, bool conditional,
                std::vector<std::string>& problems) {
  const std::string& n = t.name;
  bool generic = std::count(c.generics.begin(), c.generics.end(), n) != 0;
  if (n == "Vector" || n == "vector") {
    if (t.args.size() != 1) problems.push_back(where(c) + c.name + ": " + n + " takes one argument");
    for (const auto& a : t.args) check_type(r, a, c, false, problems);
    return;
  }
  if (!t.args.empty()) problems.push_back(where(c) + c.name + ": only Vector takes type arguments");
  if (generic || is_builtin(n) || r.boxed.count(n) || r.ctor_by_name.count(n)) {
    if (t.percent && r.boxed.count(n) && r.boxed.at(n).size() != 1) {
      problems.push_back(where(c) + c.name + ": %" + n + " needs a type with exactly one constructor");
    }
    return;
  }
  if (n == "true" && conditional) return;
  problems.push_back(where(c) + c.name + ": unknown type " + to_tl(t));
}

}  // namespace

Resolved resolve(const Schema& schema, const std::string& ns, std::vector<std::string>& problems) {
  Resolved r;
  r.ns = ns;
  r.schema = &schema;
  for (std::size_t i = 0; i < schema.constructors.size(); ++i) {
    const auto& c = schema.constructors[i];
    if (c.result.name == "Bool") continue;  // boolTrue/boolFalse: Bool is a native bool
    r.boxed[c.result.name].push_back(i);
    r.ctor_by_name[c.name] = i;
  }
  // Every C++ name at namespace level must be unique (C++ is case-sensitive, so "user" and "User"
  // may coexist).
  std::map<std::string, std::string> cpp_names;
  auto claim = [&](const std::string& cpp, const std::string& what, const Combinator* c) {
    auto [it, fresh] = cpp_names.emplace(cpp, what);
    if (!fresh) problems.push_back((c ? where(*c) : std::string()) + what + " and " + it->second + " both map to C++ " + cpp);
  };
  for (const auto& [type, ctors] : r.boxed) claim(cpp_ident(type), "type " + type, &schema.constructors[ctors.front()]);
  for (const auto* list : {&schema.constructors, &schema.functions}) {
    for (const auto& c : *list) {
      if (c.result.name == "Bool" && !c.is_function) continue;
      claim(cpp_ident(c.name), c.name, &c);
      for (const auto& p : c.params) {
        if (!p.is_flags()) check_type(r, p.type, c, p.is_conditional(), problems);
      }
      if (c.is_function) {
        bool generic_result = std::count(c.generics.begin(), c.generics.end(), c.result.name) != 0;
        if (!generic_result) check_type(r, c.result, c, false, problems);
      }
    }
  }
  if (!problems.empty()) return r;

  // Depth-first order over by-value (bare) struct dependencies.
  std::vector<int> state(schema.constructors.size(), 0);
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    if (state[i] == 2) return;
    if (state[i] == 1) {
      problems.push_back(where(schema.constructors[i]) + schema.constructors[i].name + ": contains itself by value");
      return;
    }
    state[i] = 1;
    std::function<void(const TypeRef&)> deps = [&](const TypeRef& t) {
      for (const auto& a : t.args) deps(a);
      if (t.percent || (r.ctor_by_name.count(t.name) && !is_builtin(t.name))) visit(bare_ctor(r, t));
    };
    for (const auto& p : schema.constructors[i].params) {
      if (!p.is_flags() && !p.is_true_flag()) deps(p.type);
    }
    state[i] = 2;
    r.ctor_order.push_back(i);
  };
  for (const auto& [type, ctors] : r.boxed) {
    for (std::size_t i : ctors) visit(i);
  }
  return r;
}

}  // namespace tlgen
