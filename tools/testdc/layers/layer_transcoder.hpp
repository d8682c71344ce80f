#pragma once
// Answers every client in the exact layer it declared (invokeWithLayer), as Telegram does: each
// object the test DC sends is rewritten with the constructors of the client's layer, and requests
// sent in that layer are rewritten into ours (tl-schema/api.tl).
//
// Runtime and schema-driven: constructors are matched by name and fields by name between the
// official layer schemas (see schema_set.hpp), flags are recomputed from the fields present in the
// target, fields the target lacks are dropped and required ones the source lacks get defaults.
// Values identical in both layers are copied, not rewritten. The plans for a layer are compiled on
// first use; thread-safe.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "schema_set.hpp"
#include "transcode_plan.hpp"

namespace testdc::layers {

class LayerTranscoder {
 public:
  static std::shared_ptr<const LayerTranscoder> create(SchemaSet schemas);

  int our_layer() const { return schemas_.ours().layer; }
  // The layer a client declaring `client_layer` is served in; nullopt when we cannot speak it
  // (see SchemaSet::for_client).
  std::optional<int> effective_layer(int client_layer) const;

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

  // The name of a function or constructor id in the client's layer ("" when unknown there).
  std::string name_in_layer(std::uint32_t id, int client_layer) const;

  const SchemaSet& schemas() const { return schemas_; }
  // The plans used for a client layer; nullptr when no rewriting is needed or possible.
  const TranscodePlan* downgrade_plan(int client_layer) const;
  const TranscodePlan* upgrade_plan(int client_layer) const;

 private:
  explicit LayerTranscoder(SchemaSet schemas) : schemas_(std::move(schemas)) {}

  struct Plans {
    std::unique_ptr<const TranscodePlan> down;  // ours -> the client's
    std::unique_ptr<const TranscodePlan> up;    // the client's -> ours
  };
  // nullptr for our own layer and for layers we cannot speak.
  const Plans* plans_for(int client_layer) const;
  mtp::Error unsupported(int client_layer) const;

  SchemaSet schemas_;
  mutable std::mutex mu_;
  mutable std::map<const LayerSchema*, Plans> plans_;  // built on first use, never removed
};

}  // namespace testdc::layers
