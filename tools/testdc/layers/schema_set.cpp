#include "schema_set.hpp"

#include <algorithm>

#include "embedded_schemas.hpp"

namespace testdc::layers {

mtp::Result<SchemaSet> SchemaSet::load_embedded() {
  SchemaSet set;
  for (const EmbeddedSchema& e : embedded_schemas()) {
    auto schema = LayerSchema::from_text(e.text, e.file);
    if (!schema.ok()) return std::move(schema).error();
    if (schema->layer <= 0) {
      return mtp::Error::local(mtp::kErrInvalidArgument, "TL_SCHEMA", std::string(e.file) + ": no // LAYER line");
    }
    auto shared = std::make_shared<const LayerSchema>(std::move(*schema));
    if (e.file == "api.tl") set.ours_ = shared;
    else set.older_.push_back(shared);
  }
  if (!set.ours_) return mtp::Error::local(mtp::kErrInvalidArgument, "TL_SCHEMA", "api.tl is not embedded");
  std::sort(set.older_.begin(), set.older_.end(), [](const auto& a, const auto& b) { return a->layer < b->layer; });
  std::erase_if(set.older_, [&](const auto& s) { return s->layer >= set.ours_->layer; });
  return set;
}

const LayerSchema& SchemaSet::for_client(int client_layer) const {
  if (client_layer >= ours_->layer || older_.empty()) return *ours_;
  const LayerSchema* best = older_.front().get();
  for (const auto& s : older_) {
    if (s->layer <= client_layer) best = s.get();
  }
  return *best;
}

}  // namespace testdc::layers
