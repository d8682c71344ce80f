#pragma once
// The core's single entry to layer transcoding (tools/testdc/layers/): requests arrive in the
// client's layer and are handled in ours (tl-schema/api.tl); results go back in the client's layer.
// Both return nullopt when the bytes need no change, so the common case (and every upload.file
// answer) costs nothing.
#include <filesystem>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace testdc {

namespace layers {
class LayerTranscoder;
}

// Loads the layer schemas the server speaks, once, before serving: every official schema in
// `dir` (each verified), or only our built-in layer when `dir` is nullopt. Returns the line that
// says what is served. Without a call, the first use loads the default directory
// (layers::default_layers_dir()) when it exists, else the built-in layer alone.
mtp::Result<std::string> configure_layers(const std::optional<std::filesystem::path>& dir);

const layers::LayerTranscoder& layer_transcoder();

mtp::Result<std::optional<mtp::Bytes>> upgrade_request(mtp::ByteSpan request, int client_layer);
mtp::Result<std::optional<mtp::Bytes>> downgrade_result(mtp::ByteSpan result, int client_layer);

}  // namespace testdc
