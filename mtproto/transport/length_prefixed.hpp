#pragma once
// Shared by the intermediate and padded intermediate codecs: a 4-byte LE length, top bit reserved
// for quick acks (client -> server: "please ack"; server -> client: the whole header is the token).
#include "transport/codec.hpp"

namespace mtp::transport::detail {

struct LengthPrefixedRules {
  Role role;
  std::size_t max_packet;
  // Padded intermediate: transport errors and quick-ack replies carry up to 15 bytes of padding.
  bool padded;
};

Result<ParseStep> parse_length_prefixed(MutableByteSpan in, const LengthPrefixedRules& rules);

}  // namespace mtp::transport::detail
