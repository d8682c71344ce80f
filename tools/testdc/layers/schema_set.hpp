#pragma once
// Every layer the test DC speaks: our own (tl-schema/api.tl, built in) and the official schema of
// each older layer read from a directory when the server starts.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "layer_schema.hpp"

namespace testdc::layers {

class SchemaSet {
 public:
  // Our layer alone: a server started without the layer directory.
  static mtp::Result<SchemaSet> builtin();
  // Our layer plus every api-layerN.tl of `dir` below it, each verified (see layer_directory.hpp).
  static mtp::Result<SchemaSet> load(const std::filesystem::path& dir);

  // Our own layer (tl-schema/api.tl).
  const LayerSchema& ours() const { return *ours_; }
  // The schema a client that declared `client_layer` is served in:
  // - a layer we have: exactly that one;
  // - above ours: ours (Telegram answers a client newer than itself in its own newest layer);
  // - between two layers we have (153, 157, 215, 219, 226 were never published): the nearest lower
  //   one, which is what a server of that time spoke;
  // - below the oldest we have: nullptr. We cannot speak it, and answering in another layer's
  //   constructors is the one thing a client cannot survive, so the caller refuses the call
  //   (400 CONNECTION_LAYER_INVALID) instead.
  const LayerSchema* for_client(int client_layer) const;
  int oldest_layer() const;
  // Every layer we have, oldest first (ours last).
  std::vector<int> layers() const;
  // Every schema older than ours, oldest first.
  std::vector<std::shared_ptr<const LayerSchema>> older() const;
  // "layers 144..228 (80 files from DIR)" or "only layer 228 (built in)", for the start-up line.
  const std::string& description() const { return description_; }

 private:
  std::shared_ptr<const LayerSchema> ours_;
  std::map<int, std::shared_ptr<const LayerSchema>> older_;
  std::string description_;
};

}  // namespace testdc::layers
