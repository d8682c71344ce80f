#pragma once
// Answers every client in the layer it declared (invokeWithLayer), as Telegram does: each object the
// test DC sends is rewritten with the constructors of the newest layer not above the client's, and
// requests sent in an older layer are rewritten into ours (tl-schema/api.tl).
//
// Runtime and schema-driven: constructors are matched by name and fields by name between the
// embedded layer snapshots (tl-schema/layers/), flags are recomputed from the fields present in the
// target, fields the target lacks are dropped and required ones the source lacks get defaults.
// Values identical in both layers are copied, not rewritten; thread-safe (immutable after create).
#include <memory>
#include <optional>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "schema_set.hpp"
#include "transcode_plan.hpp"

namespace testdc::layers {

class LayerTranscoder {
 public:
  // Compiles the embedded schemas and the plans between our layer and every older snapshot.
  static mtp::Result<std::shared_ptr<const LayerTranscoder>> create();

  int our_layer() const { return schemas_.ours().layer; }
  // The layer whose constructors a client declaring `client_layer` gets (144, 193, 214 or ours).
  int effective_layer(int client_layer) const { return schemas_.for_client(client_layer).layer; }

  // A boxed object (or boxed vector of objects) serialized in our layer, rewritten for a client of
  // `client_layer`. Layers >= ours: the bytes unchanged.
  mtp::Result<mtp::Bytes> downgrade(mtp::ByteSpan boxed_object, int client_layer) const;
  // A request (function call, id first) serialized in the client's layer, rewritten into ours. A
  // call identical in both layers (upload.getFile...) is returned unchanged without walking it.
  mtp::Result<mtp::Bytes> upgrade(mtp::ByteSpan request, int client_layer) const;

  // The same two without a copy in the common case: nullopt when the bytes need no change (the
  // client speaks our layer, or the value is identical in its layer: upload.file, upload.getFile).
  mtp::Result<std::optional<mtp::Bytes>> downgrade_if_needed(mtp::ByteSpan boxed_object, int client_layer) const;
  mtp::Result<std::optional<mtp::Bytes>> upgrade_if_needed(mtp::ByteSpan request, int client_layer) const;

  const SchemaSet& schemas() const { return schemas_; }
  // The plans used for a client layer; nullptr when no rewriting is needed.
  const TranscodePlan* downgrade_plan(int client_layer) const;
  const TranscodePlan* upgrade_plan(int client_layer) const;

 private:
  explicit LayerTranscoder(SchemaSet schemas);

  SchemaSet schemas_;
  std::vector<std::unique_ptr<const TranscodePlan>> down_;  // parallel to schemas_.older()
  std::vector<std::unique_ptr<const TranscodePlan>> up_;
};

}  // namespace testdc::layers
