#pragma once
// The wrapper every new connection's first request travels in (FACTS §6):
// invokeWithLayer(kLayer, initConnection(api_id, device..., query)). The answer is the inner
// query's, so callers never see the wrapping.
#include <functional>

#include "client/client_config.hpp"
#include "core/bytes.hpp"

namespace mtp::client {

std::function<Bytes(ByteSpan request)> init_connection_wrapper(const ClientConfig& config);

}  // namespace mtp::client
