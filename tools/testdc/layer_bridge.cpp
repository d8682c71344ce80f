#include "layer_bridge.hpp"

#include "layer_transcoder.hpp"

namespace testdc {

namespace {

// Compiling the layer plans takes a moment: once per process, on first use.
const mtp::Result<std::shared_ptr<const layers::LayerTranscoder>>& transcoder() {
  static const auto instance = layers::LayerTranscoder::create();
  return instance;
}

}  // namespace

mtp::Result<std::optional<mtp::Bytes>> upgrade_request(mtp::ByteSpan request, int client_layer) {
  const auto& t = transcoder();
  if (!t) return t.error();
  return (*t)->upgrade_if_needed(request, client_layer);
}

mtp::Result<std::optional<mtp::Bytes>> downgrade_result(mtp::ByteSpan result, int client_layer) {
  const auto& t = transcoder();
  if (!t) return t.error();
  return (*t)->downgrade_if_needed(result, client_layer);
}

}  // namespace testdc
