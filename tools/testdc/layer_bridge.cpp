#include "layer_bridge.hpp"

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "layer_directory.hpp"
#include "layer_transcoder.hpp"

namespace testdc {

namespace {

std::mutex g_mu;
std::shared_ptr<const layers::LayerTranscoder> g_transcoder;

mtp::Result<std::shared_ptr<const layers::LayerTranscoder>> load(const std::optional<std::filesystem::path>& dir) {
  auto set = dir ? layers::SchemaSet::load(*dir) : layers::SchemaSet::builtin();
  if (!set.ok()) return std::move(set).error();
  return layers::LayerTranscoder::create(std::move(*set));
}

}  // namespace

mtp::Result<std::string> configure_layers(const std::optional<std::filesystem::path>& dir) {
  auto t = load(dir);
  if (!t.ok()) return std::move(t).error();
  std::lock_guard lock(g_mu);
  g_transcoder = std::move(*t);
  return g_transcoder->schemas().description();
}

const layers::LayerTranscoder& layer_transcoder() {
  std::lock_guard lock(g_mu);
  if (!g_transcoder) {
    std::optional<std::filesystem::path> dir = layers::default_layers_dir();
    std::error_code ec;
    if (!std::filesystem::is_directory(*dir, ec)) dir.reset();
    auto t = load(dir);
    if (!t.ok()) {
      // Only a damaged default directory gets here; a server that speaks wrong layers is worse
      // than none.
      std::fprintf(stderr, "tgget-testdc: layer schemas: %s\n", t.error().to_string().c_str());
      std::abort();
    }
    g_transcoder = std::move(*t);
  }
  return *g_transcoder;
}

mtp::Result<std::optional<mtp::Bytes>> upgrade_request(mtp::ByteSpan request, int client_layer) {
  return layer_transcoder().upgrade_if_needed(request, client_layer);
}

mtp::Result<std::optional<mtp::Bytes>> downgrade_result(mtp::ByteSpan result, int client_layer) {
  return layer_transcoder().downgrade_if_needed(result, client_layer);
}

}  // namespace testdc
