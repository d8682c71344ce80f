#include "layer_schema.hpp"

#include <cctype>
#include <string>

#include "model.hpp"
#include "parser.hpp"

namespace testdc::layers {

namespace {

mtp::Error schema_error(std::string detail) {
  return mtp::Error::local(mtp::kErrInvalidArgument, "TL_SCHEMA", std::move(detail));
}

}  // namespace

class SchemaCompiler {
 public:
  explicit SchemaCompiler(LayerSchema& out) : s_(out) {}

  mtp::Status run(const tlgen::Schema& schema) {
    s_.layer = schema.layer.value_or(0);
    // Types and combinators first, so parameters may refer to anything declared anywhere.
    for (const auto* list : {&schema.constructors, &schema.functions}) {
      for (const tlgen::Combinator& c : *list) declare(c);
    }
    std::size_t i = 0;
    for (const auto* list : {&schema.constructors, &schema.functions}) {
      for (const tlgen::Combinator& c : *list) {
        MTP_TRY(resolve_params(c, s_.combinators[i++]));
      }
    }
    return {};
  }

 private:
  void declare(const tlgen::Combinator& c) {
    Combinator out;
    out.id = c.id;
    out.name = c.name;
    out.type = tlgen::to_tl(c.result);
    out.is_function = c.is_function;
    const int index = static_cast<int>(s_.combinators.size());
    if (!c.is_function) {
      auto [it, fresh] = s_.type_by_name_.emplace(out.type, static_cast<int>(s_.types.size()));
      if (fresh) s_.types.push_back(TypeInfo{out.type, {}});
      out.type_index = it->second;
      s_.types[it->second].constructors.push_back(index);
      s_.ctor_by_name_.emplace(out.name, index);
    } else {
      s_.func_by_name_.emplace(out.name, index);
    }
    s_.by_id_.emplace(out.id, index);  // the first declaration wins on an (unexpected) id clash
    s_.combinators.push_back(std::move(out));
  }

  mtp::Status resolve_params(const tlgen::Combinator& c, Combinator& out) {
    for (const tlgen::Param& p : c.params) {
      Field f;
      f.name = p.name;
      if (p.is_conditional()) {
        for (std::size_t k = 0; k < out.fields.size(); ++k) {
          if (out.fields[k].name == p.cond_field) f.cond_field = static_cast<int>(k);
        }
        if (f.cond_field < 0) return schema_error(c.name + ": no flags field " + p.cond_field);
        f.cond_bit = p.cond_bit;
      }
      if (p.is_true_flag()) {
        f.node = add({Kind::True});
      } else {
        auto node = resolve(p.type, c);
        if (!node.ok()) return std::move(node).error();
        f.node = *node;
      }
      out.fields.push_back(std::move(f));
    }
    return {};
  }

  int add(TypeNode n) {
    s_.nodes.push_back(n);
    return static_cast<int>(s_.nodes.size()) - 1;
  }

  mtp::Result<int> resolve(const tlgen::TypeRef& t, const tlgen::Combinator& c) {
    if (t.excl) return add({Kind::Query});
    const std::string& n = t.name;
    if (n == "#") return add({Kind::Flags});
    if (n == "int") return add({Kind::Int});
    if (n == "long") return add({Kind::Long});
    if (n == "double") return add({Kind::Double});
    if (n == "int128") return add({Kind::Int128});
    if (n == "int256") return add({Kind::Int256});
    if (n == "string" || n == "bytes") return add({Kind::Bytes});
    if (n == "Vector" || n == "vector") {
      if (t.args.size() != 1) return schema_error(c.name + ": vector without one element type");
      auto elem = resolve(t.args[0], c);
      if (!elem.ok()) return elem;
      return add({n == "Vector" ? Kind::Vector : Kind::BareVector, -1, *elem});
    }
    if (t.percent) {
      // %T: the bare form of a type with exactly one constructor.
      const int type = s_.find_type(n);
      if (type < 0 || s_.types[type].constructors.size() != 1) {
        return schema_error(c.name + ": %" + n + " is not a single-constructor type");
      }
      return add({Kind::Bare, s_.types[type].constructors[0]});
    }
    if (const int type = s_.find_type(n); type >= 0) return add({Kind::Boxed, type});
    if (const int ctor = s_.find_constructor(n); ctor >= 0) return add({Kind::Bare, ctor});
    return schema_error(c.name + ": unknown type " + n);
  }

  LayerSchema& s_;
};

mtp::Result<LayerSchema> LayerSchema::compile(const tlgen::Schema& schema) {
  LayerSchema out;
  MTP_TRY(SchemaCompiler(out).run(schema));
  return out;
}

mtp::Result<LayerSchema> LayerSchema::from_text(std::string_view text, std::string_view file) {
  tlgen::Schema parsed;
  try {
    tlgen::parse_schema(std::string(text), std::string(file), parsed);
  } catch (const tlgen::ParseError& e) {
    return schema_error(e.what());
  }
  return compile(parsed);
}

int LayerSchema::find_id(std::uint32_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? -1 : it->second;
}
int LayerSchema::find_constructor(std::string_view name) const {
  auto it = ctor_by_name_.find(std::string(name));
  return it == ctor_by_name_.end() ? -1 : it->second;
}
int LayerSchema::find_function(std::string_view name) const {
  auto it = func_by_name_.find(std::string(name));
  return it == func_by_name_.end() ? -1 : it->second;
}
int LayerSchema::find_type(std::string_view name) const {
  auto it = type_by_name_.find(std::string(name));
  return it == type_by_name_.end() ? -1 : it->second;
}

}  // namespace testdc::layers
