#include "schema_set.hpp"

#include "embedded_schemas.hpp"
#include "layer_directory.hpp"

namespace testdc::layers {

mtp::Result<SchemaSet> SchemaSet::builtin() {
  SchemaSet set;
  for (const EmbeddedSchema& e : embedded_schemas()) {
    auto schema = LayerSchema::from_text(e.text, e.file);
    if (!schema.ok()) return std::move(schema).error();
    if (schema->layer <= 0) {
      return mtp::Error::local(mtp::kErrInvalidArgument, "TL_SCHEMA", std::string(e.file) + ": no // LAYER line");
    }
    set.ours_ = std::make_shared<const LayerSchema>(std::move(*schema));
  }
  if (!set.ours_) return mtp::Error::local(mtp::kErrInvalidArgument, "TL_SCHEMA", "api.tl is not embedded");
  set.description_ = "only layer " + std::to_string(set.ours_->layer) + " (built in)";
  return set;
}

mtp::Result<SchemaSet> SchemaSet::load(const std::filesystem::path& dir) {
  auto set = builtin();
  if (!set.ok()) return set;
  auto files = list_layer_files(dir);
  if (!files.ok()) return std::move(files).error();
  for (const LayerFile& f : *files) {
    if (f.layer >= set->ours_->layer) continue;  // ours is built in; a newer file cannot be served
    auto schema = load_layer_file(f);
    if (!schema.ok()) return std::move(schema).error();
    set->older_.emplace(f.layer, std::make_shared<const LayerSchema>(std::move(*schema)));
  }
  set->description_ = "layers " + std::to_string(set->oldest_layer()) + ".." + std::to_string(set->ours_->layer) +
                      " (" + std::to_string(set->older_.size()) + " files from " + dir.string() + ", " +
                      std::to_string(set->ours_->layer) + " built in)";
  return set;
}

const LayerSchema* SchemaSet::for_client(int client_layer) const {
  if (client_layer >= ours_->layer) return ours_.get();
  auto it = older_.upper_bound(client_layer);  // first layer above the client's
  if (it == older_.begin()) return nullptr;
  return std::prev(it)->second.get();
}

int SchemaSet::oldest_layer() const { return older_.empty() ? ours_->layer : older_.begin()->first; }

std::vector<int> SchemaSet::layers() const {
  std::vector<int> out;
  for (const auto& [layer, schema] : older_) out.push_back(layer);
  out.push_back(ours_->layer);
  return out;
}

std::vector<std::shared_ptr<const LayerSchema>> SchemaSet::older() const {
  std::vector<std::shared_ptr<const LayerSchema>> out;
  for (const auto& [layer, schema] : older_) out.push_back(schema);
  return out;
}

}  // namespace testdc::layers
