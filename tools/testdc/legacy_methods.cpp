#include "legacy_methods.hpp"

#include "tl/api.hpp"

namespace testdc {
namespace {

namespace api = mtp::tl::api;

constexpr std::uint32_t kInputChannelEmpty = 0xee8c1e86;
constexpr std::uint32_t kInputChannel = 0xf35aec28;

std::uint32_t u32_at(mtp::ByteSpan b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

void put_u32(mtp::Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// new_id, then the bytes before the channel (`head`: the flags, if any), the channel as an
// InputPeer, and the rest verbatim (the fields after it are the same in both layers).
std::optional<mtp::Bytes> rewrite(mtp::ByteSpan request, std::uint32_t new_id, std::size_t head) {
  std::size_t at = 4 + head;
  if (request.size() < at + 4) return std::nullopt;
  mtp::Bytes out;
  put_u32(out, new_id);
  out.insert(out.end(), request.begin() + 4, request.begin() + static_cast<std::ptrdiff_t>(at));
  const std::uint32_t channel = u32_at(request, at);
  at += 4;
  if (channel == kInputChannelEmpty) {
    put_u32(out, api::inputPeerEmpty::kId);
  } else if (channel == kInputChannel && request.size() >= at + 16) {
    put_u32(out, api::inputPeerChannel::kId);
    out.insert(out.end(), request.begin() + static_cast<std::ptrdiff_t>(at), request.begin() + static_cast<std::ptrdiff_t>(at + 16));
    at += 16;
  } else {
    return std::nullopt;  // inputChannelFromMessage is not served here
  }
  out.insert(out.end(), request.begin() + static_cast<std::ptrdiff_t>(at), request.end());
  return out;
}

}  // namespace

bool is_legacy_method(std::string_view name) {
  return name == "channels.getForumTopics" || name == "channels.getForumTopicsByID";
}

std::optional<mtp::Bytes> rename_legacy_request(std::string_view name, mtp::ByteSpan request) {
  if (name == "channels.getForumTopics") return rewrite(request, api::messages_getForumTopics::kId, 4);
  if (name == "channels.getForumTopicsByID") return rewrite(request, api::messages_getForumTopicsByID::kId, 0);
  return std::nullopt;
}

}  // namespace testdc
