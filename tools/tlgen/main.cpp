// tlgen: TL schema -> C++ (see emitter.hpp for the files it writes).
//
//   tlgen --namespace api --prefix api --chunks 6 --out DIR [--include-dir tl] schema.tl [more.tl ...]
//   tlgen --check schema.tl ...      parse and verify only (ids, flags, types); no output
//
// Several schema files given together form one schema in one namespace. Every problem is printed
// as "file:line: message" and makes the exit status 1, which fails the build.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "emitter.hpp"
#include "parser.hpp"
#include "resolve.hpp"
#include "verify.hpp"

namespace {

int usage() {
  std::cerr << "usage: tlgen [--check] --namespace NS --prefix P --out DIR [--chunks N] [--include-dir D] FILE.tl...\n";
  return 2;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::stringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

// Rewrites a file only when its contents change, so an unchanged schema rebuilds nothing.
bool write_if_changed(const std::filesystem::path& path, const std::string& contents) {
  std::string old;
  if (read_file(path.string(), old) && old == contents) return true;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << contents;
  return static_cast<bool>(f);
}

}  // namespace

int main(int argc, char** argv) {
  std::string ns, prefix, out_dir, include_dir = "tl";
  int chunks = 4;
  bool check_only = false;
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--namespace") ns = value();
    else if (a == "--prefix") prefix = value();
    else if (a == "--out") out_dir = value();
    else if (a == "--include-dir") include_dir = value();
    else if (a == "--chunks") chunks = std::stoi(value());
    else if (a == "--check") check_only = true;
    else if (a.rfind("--", 0) == 0) return usage();
    else inputs.push_back(a);
  }
  if (inputs.empty() || (!check_only && (ns.empty() || prefix.empty() || out_dir.empty()))) return usage();

  tlgen::Schema schema;
  for (const auto& path : inputs) {
    std::string source;
    if (!read_file(path, source)) {
      std::cerr << path << ": cannot read\n";
      return 1;
    }
    try {
      tlgen::parse_schema(source, path, schema);
    } catch (const tlgen::ParseError& e) {
      std::cerr << e.what() << "\n";
      return 1;
    }
  }
  std::vector<std::string> problems = tlgen::verify(schema);
  tlgen::Resolved resolved = tlgen::resolve(schema, ns.empty() ? "check" : ns, problems);
  for (const auto& p : problems) std::cerr << p << "\n";
  if (!problems.empty()) {
    std::cerr << "tlgen: " << problems.size() << " problem(s)\n";
    return 1;
  }
  if (check_only) return 0;

  tlgen::EmitOptions opts{prefix, include_dir, chunks};
  std::filesystem::create_directories(out_dir);
  for (const auto& [name, contents] : tlgen::emit(resolved, opts)) {
    if (!write_if_changed(std::filesystem::path(out_dir) / name, contents)) {
      std::cerr << out_dir << "/" << name << ": cannot write\n";
      return 1;
    }
  }
  return 0;
}
