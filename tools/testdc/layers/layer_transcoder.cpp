#include "layer_transcoder.hpp"

#include "transcode_walk.hpp"

namespace testdc::layers {

std::shared_ptr<const LayerTranscoder> LayerTranscoder::create(SchemaSet schemas) {
  return std::shared_ptr<const LayerTranscoder>(new LayerTranscoder(std::move(schemas)));
}

std::optional<int> LayerTranscoder::effective_layer(int client_layer) const {
  const LayerSchema* s = schemas_.for_client(client_layer);
  if (s == nullptr) return std::nullopt;
  return s->layer;
}

const LayerTranscoder::Plans* LayerTranscoder::plans_for(int client_layer) const {
  const LayerSchema* target = schemas_.for_client(client_layer);
  if (target == nullptr || target == &schemas_.ours()) return nullptr;
  std::lock_guard lock(mu_);
  auto it = plans_.find(target);
  if (it == plans_.end()) {
    // The schemas live behind shared pointers owned by schemas_, so the plans' references stay valid.
    Plans p{std::make_unique<const TranscodePlan>(schemas_.ours(), *target),
            std::make_unique<const TranscodePlan>(*target, schemas_.ours())};
    it = plans_.emplace(target, std::move(p)).first;
  }
  return &it->second;
}

const TranscodePlan* LayerTranscoder::downgrade_plan(int client_layer) const {
  const Plans* p = plans_for(client_layer);
  return p ? p->down.get() : nullptr;
}

const TranscodePlan* LayerTranscoder::upgrade_plan(int client_layer) const {
  const Plans* p = plans_for(client_layer);
  return p ? p->up.get() : nullptr;
}

mtp::Error LayerTranscoder::unsupported(int client_layer) const {
  return mtp::Error::local(mtp::kErrUnsupported, "TL_LAYER_UNSUPPORTED",
                           "layer " + std::to_string(client_layer) + " is not served (" + schemas_.description() + ")");
}

mtp::Result<mtp::Bytes> LayerTranscoder::downgrade(mtp::ByteSpan boxed_object, int client_layer) const {
  auto out = downgrade_if_needed(boxed_object, client_layer);
  if (!out.ok()) return std::move(out).error();
  if (!out->has_value()) return mtp::Bytes(boxed_object.begin(), boxed_object.end());
  return std::move(**out);
}

mtp::Result<mtp::Bytes> LayerTranscoder::upgrade(mtp::ByteSpan request, int client_layer) const {
  auto out = upgrade_if_needed(request, client_layer);
  if (!out.ok()) return std::move(out).error();
  if (!out->has_value()) return mtp::Bytes(request.begin(), request.end());
  return std::move(**out);
}

mtp::Result<std::optional<mtp::Bytes>> LayerTranscoder::downgrade_if_needed(mtp::ByteSpan boxed_object,
                                                                          int client_layer) const {
  if (!effective_layer(client_layer)) return unsupported(client_layer);
  const TranscodePlan* plan = downgrade_plan(client_layer);
  if (plan == nullptr) return std::optional<mtp::Bytes>();
  return transcode_if_needed(*plan, boxed_object);
}

mtp::Result<std::optional<mtp::Bytes>> LayerTranscoder::upgrade_if_needed(mtp::ByteSpan request, int client_layer) const {
  if (!effective_layer(client_layer)) return unsupported(client_layer);
  const TranscodePlan* plan = upgrade_plan(client_layer);
  if (plan == nullptr) return std::optional<mtp::Bytes>();
  return transcode_if_needed(*plan, request);
}

std::string LayerTranscoder::name_in_layer(std::uint32_t id, int client_layer) const {
  const LayerSchema* s = schemas_.for_client(client_layer);
  if (s == nullptr) s = &schemas_.ours();
  const int c = s->find_id(id);
  return c < 0 ? std::string() : s->combinators[c].name;
}

}  // namespace testdc::layers
