#include "layer_directory.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "model.hpp"
#include "parser.hpp"
#include "verify.hpp"

namespace testdc::layers {

namespace {

mtp::Error layer_error(std::string detail) {
  return mtp::Error::local(mtp::kErrInvalidArgument, "TL_LAYER_FILE", std::move(detail));
}

// "api-layer198.tl" -> 198; 0 for any other name.
int layer_of_name(const std::string& name) {
  constexpr std::string_view prefix = "api-layer", suffix = ".tl";
  if (name.size() <= prefix.size() + suffix.size() || !name.starts_with(prefix) || !name.ends_with(suffix)) return 0;
  const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.empty() || digits.size() > 4 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return 0;
  return std::stoi(digits);
}

// Declarations some official files carry that are not part of the protocol a server speaks, and
// whose ids are therefore not the CRC32 of their text: Telegram Desktop's help.configSimple family
// (decoded from a DNS answer, never sent over MTProto) and its two legacy input locations, and
// TDLib's invokeWith*Prefix helpers (the first fields of the invokeWith* wrappers, declared with
// the wrapper's own id). They are dropped before the ids are checked; anything else that fails
// the check fails the whole file.
bool client_internal(const tlgen::Combinator& c) {
  static const std::set<std::string> kNames = {
      "ipPortSecret", "accessPointRule", "help.configSimple", "inputPeerPhotoFileLocationLegacy",
      "inputStickerSetThumbLegacy"};
  if (kNames.count(c.name)) return true;
  return c.name.starts_with("invokeWith") && c.name.ends_with("Prefix") && tlgen::to_tl(c.result) == "Error";
}

}  // namespace

mtp::Result<std::vector<LayerFile>> list_layer_files(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return layer_error(dir.string() + ": " + ec.message());
  std::vector<LayerFile> files;
  for (const auto& entry : it) {
    const int layer = layer_of_name(entry.path().filename().string());
    if (layer > 0) files.push_back(LayerFile{layer, entry.path()});
  }
  std::sort(files.begin(), files.end(), [](const LayerFile& a, const LayerFile& b) { return a.layer < b.layer; });
  return files;
}

mtp::Result<LayerSchema> load_layer_file(const LayerFile& file) {
  std::ifstream in(file.path, std::ios::binary);
  if (!in) return layer_error(file.path.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  tlgen::Schema parsed;
  try {
    tlgen::parse_schema(text.str(), file.path.filename().string(), parsed);
  } catch (const tlgen::ParseError& e) {
    return layer_error(e.what());
  }
  if (parsed.layer && *parsed.layer != file.layer) {
    return layer_error(file.path.string() + " declares // LAYER " + std::to_string(*parsed.layer));
  }
  // Some official files carry no `// LAYER` line (TDLib's); the name says which layer it is.
  parsed.layer = file.layer;
  std::erase_if(parsed.constructors, client_internal);
  std::erase_if(parsed.functions, client_internal);
  if (auto problems = tlgen::verify(parsed); !problems.empty()) {
    std::string detail = problems.front();
    if (problems.size() > 1) detail += " (and " + std::to_string(problems.size() - 1) + " more)";
    return layer_error(detail);
  }
  return LayerSchema::compile(parsed);
}

std::filesystem::path default_layers_dir() { return TESTDC_DEFAULT_LAYERS_DIR; }

}  // namespace testdc::layers
