// Emission of the store_bare/fetch_bare bodies: flags computed from the optional fields on store,
// conditional fields read only when their bit is set on fetch.
#include <sstream>

#include "emitter.hpp"

namespace tlgen::emitdetail {

namespace {

void store_code(std::ostream& o, const Resolved& r, const Combinator& c, const std::string& expr,
                const TypeRef& t, int depth, const std::string& in) {
  if (!has_bare(r, t, c)) {
    o << in << "::mtp::tl::store_value(w_, " << expr << ");\n";
  } else if (t.name == "Vector" || t.name == "vector") {
    std::string e = "e" + std::to_string(depth);
    o << in << "w_." << (t.name == "Vector" ? "vector_header" : "count") << "(static_cast<std::uint32_t>("
      << expr << ".size()));\n";
    o << in << "for (const auto& " << e << " : " << expr << ") {\n";
    store_code(o, r, c, e, t.args.at(0), depth + 1, in + "  ");
    o << in << "}\n";
  } else {
    o << in << expr << ".store_bare(w_);\n";
  }
}

void fetch_code(std::ostream& o, const Resolved& r, const Combinator& c, const std::string& target,
                const TypeRef& t, int depth, const std::string& in) {
  if (!has_bare(r, t, c)) {
    o << in << target << " = ::mtp::tl::fetch_value<" << cpp_type(r, t, c) << ">(r_);\n";
  } else if (t.name == "Vector" || t.name == "vector") {
    std::string n = "n" + std::to_string(depth), i = "i" + std::to_string(depth);
    o << in << "const std::uint32_t " << n << " = r_." << (t.name == "Vector" ? "vector_header" : "count")
      << "();\n";
    o << in << target << ".clear();\n";
    o << in << target << ".reserve(" << n << ");\n";
    o << in << "for (std::uint32_t " << i << " = 0; " << i << " < " << n << " && r_.ok(); ++" << i << ") {\n";
    o << in << "  " << target << ".emplace_back();\n";
    fetch_code(o, r, c, target + ".back()", t.args.at(0), depth + 1, in + "  ");
    o << in << "}\n";
  } else {
    o << in << target << " = " << cpp_type(r, t, c) << "::fetch_bare(r_);\n";
  }
}

}  // namespace

std::string store_body(const Resolved& r, const Combinator& c, const std::string& in) {
  std::ostringstream o;
  std::string sname = struct_name(c);
  // Flags words are computed from the fields, never stored by the user.
  for (const auto& p : c.params) {
    if (!p.is_flags()) continue;
    o << in << "std::uint32_t flags_" << p.name << " = 0;\n";
    for (const auto& q : c.params) {
      if (q.cond_field != p.name) continue;
      o << in << "if (this->" << field_ident(q.name, sname) << ") flags_" << p.name << " |= 1u << "
        << q.cond_bit << ";\n";
    }
  }
  for (const auto& p : c.params) {
    std::string f = "this->" + field_ident(p.name, sname);
    if (p.is_flags()) {
      o << in << "w_.uint32(flags_" << p.name << ");\n";
    } else if (p.is_true_flag()) {
      continue;
    } else if (p.is_conditional()) {
      o << in << "if (" << f << ") {\n";
      store_code(o, r, c, "(*" + f + ")", p.type, 0, in + "  ");
      o << in << "}\n";
    } else {
      store_code(o, r, c, f, p.type, 0, in);
    }
  }
  return o.str();
}

std::string fetch_body(const Resolved& r, const Combinator& c, const std::string& in) {
  std::ostringstream o;
  std::string sname = struct_name(c);
  for (const auto& p : c.params) {
    std::string f = "v_." + field_ident(p.name, sname);
    if (p.is_flags()) {
      o << in << "[[maybe_unused]] const std::uint32_t flags_" << p.name << " = r_.uint32();\n";
    } else if (p.is_true_flag()) {
      o << in << f << " = (flags_" << p.cond_field << " & (1u << " << p.cond_bit << ")) != 0;\n";
    } else if (p.is_conditional()) {
      o << in << "if (flags_" << p.cond_field << " & (1u << " << p.cond_bit << ")) {\n";
      o << in << "  " << f << ".emplace();\n";
      fetch_code(o, r, c, "(*" + f + ")", p.type, 0, in + "  ");
      o << in << "}\n";
    } else {
      fetch_code(o, r, c, f, p.type, 0, in);
    }
  }
  return o.str();
}

}  // namespace tlgen::emitdetail
