#include "rpc_runner.hpp"

#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <cstdio>

#include "client_connection.hpp"
#include "layer_bridge.hpp"
#include "legacy_methods.hpp"
#include "layer_transcoder.hpp"
#include "tl/api.hpp"
#include "tl/api_registry.hpp"
#include "tl/container.hpp"
#include "tl/reader.hpp"

namespace testdc {

namespace api = mtp::tl::api;

namespace {

std::string error_message(const mtp::Error& e) {
  std::string message = e.type;
  if (e.value) message.append("_").append(std::to_string(*e.value));
  return message;
}

std::string unknown_method_name(std::uint32_t id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "unknown#%08x", id);
  return buf;
}

}  // namespace

std::optional<mtp::ByteSpan> unwrap_request(mtp::ByteSpan query, int& layer, mtp::Bytes& holder) {
  // Wrappers nest only a few deep; the bound stops a hostile chain.
  for (int depth = 0; depth < 8; ++depth) {
    const std::uint32_t id = mtp::tl::object_id(query);
    mtp::tl::Reader r(query);
    r.uint32();
    if (id == api::invokeWithLayer<mtp::tl::RawObject>::kId) {
      const std::int32_t declared = r.int32();
      if (!r.ok()) return std::nullopt;
      layer = declared;
      query = r.rest();
    } else if (id == api::invokeWithoutUpdates<mtp::tl::RawObject>::kId) {
      query = r.rest();
    } else if (id == api::invokeAfterMsg<mtp::tl::RawObject>::kId) {
      r.int64();
      if (!r.ok()) return std::nullopt;
      query = r.rest();
    } else if (id == api::invokeAfterMsgs<mtp::tl::RawObject>::kId) {
      const std::uint32_t n = r.vector_header(8);
      for (std::uint32_t i = 0; i < n; ++i) r.int64();
      if (!r.ok()) return std::nullopt;
      query = r.rest();
    } else if (id == api::initConnection<mtp::tl::RawObject>::kId) {
      mtp::tl::Reader full(query);
      auto init = api::initConnection<mtp::tl::RawObject>::fetch(full);
      if (!full.ok()) return std::nullopt;
      holder = std::move(init.query.bytes);
      query = holder;
    } else {
      return query;
    }
  }
  return std::nullopt;
}

namespace {

// What the call is named in the log: its name in the client's layer (a layer-158 auth.sendCode is
// auth.sendCode, whatever failed inside it), else its id.
std::string method_in_layer(std::uint32_t id, int layer) {
  std::string name = layer_transcoder().name_in_layer(id, layer);
  if (name.empty()) name = std::string(api::name_of(id));
  return name.empty() ? unknown_method_name(id) : name;
}

}  // namespace

asio::awaitable<void> run_rpc(ServerCore& core, RpcOrigin origin, std::shared_ptr<ServerSession> session,
                              std::shared_ptr<AuthKeyInfo> key, RpcRequest request) {
  int declared_layer = 0;
  mtp::Bytes holder;
  auto query = unwrap_request(request.query, declared_layer, holder);
  if (declared_layer > 0) key->layer = declared_layer;
  const int layer = key->layer > 0 ? key->layer : api::kLayer;

  ApiReply reply;
  std::string detail;  // why a call was refused, for the log only
  std::size_t bytes_in = request.query.size();
  mtp::Bytes upgraded;
  if (!query) {
    reply = ApiReply::fail(400, "INPUT_REQUEST_INVALID");
  } else if (!layer_transcoder().effective_layer(layer)) {
    reply = ApiReply::fail(400, "CONNECTION_LAYER_INVALID");
    reply.method = method_in_layer(mtp::tl::object_id(*query), layer);
    detail = "layer " + std::to_string(layer) + " is not served: " + layer_transcoder().schemas().description();
  } else if (auto refusal = core.conditions().admit_call(key->id, ServerCore::steady_ns())) {
    reply = ApiReply::fail(refusal->code, refusal->message);
  } else {
    mtp::ByteSpan ours = *query;
    std::optional<mtp::Error> undecodable;
    const std::string client_name = layer != api::kLayer ? layer_transcoder().name_in_layer(mtp::tl::object_id(*query), layer) : "";
    if (is_legacy_method(client_name)) {
      // Renamed since the client's layer: rewritten by hand (legacy_methods.hpp), not transcoded.
      auto renamed = rename_legacy_request(client_name, ours);
      if (!renamed) undecodable = mtp::Error::local(mtp::kErrInvalidArgument, "INPUT_FETCH_ERROR", client_name);
      else {
        upgraded = std::move(*renamed);
        ours = upgraded;
      }
    } else if (layer != api::kLayer) {
      auto up = upgrade_request(ours, layer);
      if (!up) undecodable = up.error();
      else if (*up) {
        upgraded = std::move(**up);
        ours = upgraded;
      }
    }
    const std::uint32_t client_id = mtp::tl::object_id(*query);
    if (layer_transcoder().name_in_layer(client_id, layer).empty() && api::name_of(client_id).empty()) {
      // Unknown methods get an error, never a dropped connection.
      reply = ApiReply::fail(400, "INPUT_METHOD_INVALID");
      reply.method = unknown_method_name(client_id);
    } else if (undecodable || api::name_of(mtp::tl::object_id(ours)).empty()) {
      // A known method whose parameters do not decode in the client's layer: named as the method,
      // with the constructor that failed inside it in the log.
      reply = ApiReply::fail(400, "INPUT_FETCH_ERROR");
      reply.method = method_in_layer(client_id, layer);
      detail = undecodable ? undecodable->detail : "no counterpart in layer " + std::to_string(api::kLayer);
      detail += " (layer " + std::to_string(layer) + ")";
    } else {
      const std::uint32_t id = mtp::tl::object_id(ours);
      ApiCall call{core.state(), origin.executor, origin.dc, origin.media_address, origin.connection_id,
                   key,          session->session_id(), request.req_msg_id, layer, ours};
      reply = co_await core.handler()(call);
      if (reply.method.empty()) reply.method = std::string(api::name_of(id));
      detail = std::move(reply.detail);
    }
  }
  if (reply.method.empty() && query) reply.method = method_in_layer(mtp::tl::object_id(*query), layer);

  if (!reply.error && layer != api::kLayer) {
    auto down = downgrade_result(reply.result, layer);
    if (!down) {
      // Never answer in another layer's constructors: a test DC bug shows as an error and in the log.
      detail = "result not expressible in layer " + std::to_string(layer) + ": " + down.error().to_string();
      std::string method = std::move(reply.method);
      reply = ApiReply::fail(500, "INTERNAL_LAYER_TRANSCODE");
      reply.method = std::move(method);
    } else if (*down) {
      reply.result = std::move(**down);
    }
  }

  OutMessage answer;
  std::shared_ptr<const mtp::Bytes> result;  // the answer object, when not an error
  std::string result_text = "ok";
  std::size_t bytes_out = 0;
  if (reply.error) {
    result_text = error_message(*reply.error);
    answer = rpc_error_answer(request.req_msg_id, reply.error->code, result_text);
  } else {
    bytes_out = reply.result.size();
    result = std::make_shared<const mtp::Bytes>(std::move(reply.result));
    answer = rpc_answer(request.req_msg_id, result);
  }
  if (const std::int64_t delay = core.conditions().response_delay_ns(); delay > 0) {
    asio::steady_timer timer(origin.executor, std::chrono::nanoseconds(delay));
    co_await timer.async_wait(asio::use_awaitable);
  }
  // --hostile decoys go right ahead of the real answer, queued with it (hostile.hpp).
  if (result && query) {
    for (Decoy& d : core.conditions().hostile().decoys(*session, request.req_msg_id, *query, reply.method, *result,
                                                          core.now_s())) {
      core.state().log().record(RpcRecord{origin.dc, origin.connection_id, key->id, "hostile", 0, d.message.size(),
                                          std::string(hostility_name(d.kind)), "decoy ahead of " + reply.method});
      session->queue(std::move(d.message));
    }
  }
  session->queue(std::move(answer));
  if (auto connection = session->bound.lock()) connection->wake();
  core.state().log().record(RpcRecord{origin.dc, origin.connection_id, key->id, reply.method, bytes_in, bytes_out,
                                      result_text, detail});
}

}  // namespace testdc
