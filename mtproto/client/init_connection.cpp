#include "client/init_connection.hpp"

#include "tl/api.hpp"

namespace mtp::client {

std::function<Bytes(ByteSpan request)> init_connection_wrapper(const ClientConfig& config) {
  return [config](ByteSpan request) {
    tl::api::initConnection<tl::RawObject> init;
    init.api_id = config.api_id;
    init.device_model = config.device_model;
    init.system_version = config.system_version;
    init.app_version = config.app_version;
    init.system_lang_code = config.lang_code;
    init.lang_code = config.lang_code;
    init.query.bytes.assign(request.begin(), request.end());
    tl::api::invokeWithLayer<tl::api::initConnection<tl::RawObject>> wrapped;
    wrapped.layer = tl::api::kLayer;
    wrapped.query = std::move(init);
    return tl::serialize(wrapped);
  };
}

}  // namespace mtp::client
