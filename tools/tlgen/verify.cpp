#include "verify.hpp"

#include <cstdio>
#include <map>
#include <set>
#include <vector>

namespace tlgen {

namespace {

// Official declarations whose published id is not the CRC32 of their text. Each entry is
// name + id, so a changed id is still caught.
struct KnownException {
  const char* name;
  std::uint32_t id;
  const char* why;
};
// None is needed today: every declaration of mtproto.tl and api.tl matches its CRC32, and so does
// every declaration of the official layer schemas the test DC reads (../shared/tl/layers) except a
// few client-internal ones it drops (tools/testdc/layers/layer_directory.cpp). Add an entry only
// for an official declaration that Telegram published with an id breaking the rule, with a
// comment saying where it comes from.
const std::vector<KnownException> kIdExceptions = {};

bool is_exception(const Combinator& c) {
  for (const auto& e : kIdExceptions) {
    if (c.name == e.name && c.id == e.id) return true;
  }
  return false;
}

std::string where(const Combinator& c) { return c.file + ":" + std::to_string(c.line) + ": "; }

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

void check_combinator(const Combinator& c, std::vector<std::string>& problems) {
  if (c.explicit_id) {
    std::uint32_t computed = crc32(normalized_declaration(c));
    if (computed != c.id && !is_exception(c)) {
      problems.push_back(where(c) + c.name + ": declared id #" + hex(c.id) + " but CRC32 of \"" +
                         normalized_declaration(c) + "\" is #" + hex(computed));
    }
  }
  std::set<std::string> seen, flag_fields, generics(c.generics.begin(), c.generics.end());
  for (const auto& p : c.params) {
    if (!seen.insert(p.name).second) problems.push_back(where(c) + c.name + ": duplicate parameter " + p.name);
    if (p.is_conditional() && !flag_fields.count(p.cond_field)) {
      problems.push_back(where(c) + c.name + ": " + p.name + " depends on " + p.cond_field +
                         ", which is not an earlier '#' parameter");
    }
    if (p.is_flags()) flag_fields.insert(p.name);
    if (p.type.excl && !generics.count(p.type.name)) {
      problems.push_back(where(c) + c.name + ": !" + p.type.name + " is not a generic parameter");
    }
  }
}

}  // namespace

std::vector<std::string> verify(const Schema& schema) {
  std::vector<std::string> problems;
  std::map<std::uint32_t, const Combinator*> ids;
  std::map<std::string, const Combinator*> names;
  for (const auto* list : {&schema.constructors, &schema.functions}) {
    for (const auto& c : *list) {
      check_combinator(c, problems);
      auto [it, fresh] = ids.emplace(c.id, &c);
      if (!fresh) problems.push_back(where(c) + c.name + ": id #" + hex(c.id) + " already used by " + it->second->name);
      auto [nit, nfresh] = names.emplace(c.name, &c);
      if (!nfresh) problems.push_back(where(c) + "duplicate combinator " + c.name);
    }
  }
  return problems;
}

}  // namespace tlgen
