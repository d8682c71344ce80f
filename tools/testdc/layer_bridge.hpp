#pragma once
// The core's single entry to layer transcoding (tools/testdc/layers/): requests arrive in the
// client's layer and are handled in ours (tl-schema/api.tl); results go back in the client's layer.
// Both return nullopt when the bytes need no change, so the common case (and every upload.file
// answer) costs nothing.
#include <optional>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace testdc {

mtp::Result<std::optional<mtp::Bytes>> upgrade_request(mtp::ByteSpan request, int client_layer);
mtp::Result<std::optional<mtp::Bytes>> downgrade_result(mtp::ByteSpan result, int client_layer);

}  // namespace testdc
