#include "layer_transcoder.hpp"

#include "transcode_walk.hpp"

namespace testdc::layers {

mtp::Result<std::shared_ptr<const LayerTranscoder>> LayerTranscoder::create() {
  auto schemas = SchemaSet::load_embedded();
  if (!schemas.ok()) return std::move(schemas).error();
  return std::shared_ptr<const LayerTranscoder>(new LayerTranscoder(std::move(*schemas)));
}

LayerTranscoder::LayerTranscoder(SchemaSet schemas) : schemas_(std::move(schemas)) {
  // The schemas live behind shared pointers, so the plans' references stay valid after the move.
  for (const auto& older : schemas_.older()) {
    down_.push_back(std::make_unique<const TranscodePlan>(schemas_.ours(), *older));
    up_.push_back(std::make_unique<const TranscodePlan>(*older, schemas_.ours()));
  }
}

const TranscodePlan* LayerTranscoder::downgrade_plan(int client_layer) const {
  const LayerSchema& target = schemas_.for_client(client_layer);
  for (std::size_t i = 0; i < down_.size(); ++i) {
    if (&down_[i]->to == &target) return down_[i].get();
  }
  return nullptr;
}

const TranscodePlan* LayerTranscoder::upgrade_plan(int client_layer) const {
  const LayerSchema& source = schemas_.for_client(client_layer);
  for (std::size_t i = 0; i < up_.size(); ++i) {
    if (&up_[i]->from == &source) return up_[i].get();
  }
  return nullptr;
}

mtp::Result<mtp::Bytes> LayerTranscoder::downgrade(mtp::ByteSpan boxed_object, int client_layer) const {
  const TranscodePlan* plan = downgrade_plan(client_layer);
  if (plan == nullptr) return mtp::Bytes(boxed_object.begin(), boxed_object.end());
  return transcode(*plan, boxed_object);
}

mtp::Result<mtp::Bytes> LayerTranscoder::upgrade(mtp::ByteSpan request, int client_layer) const {
  const TranscodePlan* plan = upgrade_plan(client_layer);
  if (plan == nullptr) return mtp::Bytes(request.begin(), request.end());
  return transcode(*plan, request);
}

mtp::Result<std::optional<mtp::Bytes>> LayerTranscoder::downgrade_if_needed(mtp::ByteSpan boxed_object,
                                                                          int client_layer) const {
  const TranscodePlan* plan = downgrade_plan(client_layer);
  if (plan == nullptr) return std::optional<mtp::Bytes>();
  return transcode_if_needed(*plan, boxed_object);
}

mtp::Result<std::optional<mtp::Bytes>> LayerTranscoder::upgrade_if_needed(mtp::ByteSpan request, int client_layer) const {
  const TranscodePlan* plan = upgrade_plan(client_layer);
  if (plan == nullptr) return std::optional<mtp::Bytes>();
  return transcode_if_needed(*plan, request);
}

}  // namespace testdc::layers
