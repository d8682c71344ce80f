#pragma once
// The official layer schemas the test DC reads when it starts: a directory of api-layerN.tl files
// (../shared/tl/layers beside the repository by default). Each file is parsed with tlgen's parser
// and every constructor id is checked against the CRC32 of its declaration before it is used.
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "layer_schema.hpp"

namespace testdc::layers {

struct LayerFile {
  int layer = 0;                 // from the file name; a `// LAYER N` line must agree with it
  std::filesystem::path path;
};

// Every api-layerN.tl in `dir`, by layer, oldest first. Other files are ignored.
mtp::Result<std::vector<LayerFile>> list_layer_files(const std::filesystem::path& dir);

// Reads, parses, verifies (ids against CRC32, flag references, duplicates) and compiles one file.
mtp::Result<LayerSchema> load_layer_file(const LayerFile& file);

// The directory used when --layers-dir is not given (TESTDC_DEFAULT_LAYERS_DIR, set by CMake).
std::filesystem::path default_layers_dir();

}  // namespace testdc::layers
