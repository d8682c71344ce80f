#pragma once
// Every layer the test DC speaks, compiled once from the embedded schemas.
#include <memory>
#include <vector>

#include "core/result.hpp"
#include "layer_schema.hpp"

namespace testdc::layers {

class SchemaSet {
 public:
  // Compiles the embedded schemas (tl-schema/api.tl and tl-schema/layers/*.tl).
  static mtp::Result<SchemaSet> load_embedded();

  // Our own layer (tl-schema/api.tl).
  const LayerSchema& ours() const { return *ours_; }
  // The newest snapshot not above `client_layer` (the oldest one for even older clients); our own
  // schema for client_layer >= ours().layer.
  const LayerSchema& for_client(int client_layer) const;
  // Every snapshot older than ours, oldest first.
  const std::vector<std::shared_ptr<const LayerSchema>>& older() const { return older_; }

 private:
  std::shared_ptr<const LayerSchema> ours_;
  std::vector<std::shared_ptr<const LayerSchema>> older_;
};

}  // namespace testdc::layers
