#pragma once
// Shared pieces of the API handlers: request parsing, the login check, and the API objects built
// from the world (user, channel, message with its document) in our layer.
#include <optional>
#include <set>
#include <vector>
#include <string>

#include "api_call.hpp"
#include "api_state.hpp"
#include "server_state.hpp"
#include "tl/api.hpp"
#include "world.hpp"

namespace testdc {

namespace api = mtp::tl::api;

inline ApiState& api_state(ApiCall& call) { return call.state.api(); }

// The request as Req, or nullopt when its bytes do not parse (answered with INPUT_FETCH_ERROR).
template <class Req>
std::optional<Req> parse_request(const ApiCall& call) {
  auto parsed = mtp::tl::parse<Req>(call.request);
  if (!parsed) return std::nullopt;
  return std::move(*parsed);
}

inline ApiReply fetch_error() { return ApiReply::fail(400, "INPUT_FETCH_ERROR"); }
inline ApiReply unregistered() { return ApiReply::fail(401, "AUTH_KEY_UNREGISTERED"); }

// The account logged in on the call's key (on this DC), or nullptr.
const Account* logged_in_account(ApiCall& call);

api::User make_user(const Account& account, bool self);
api::auth_authorization make_authorization(const Account& account);

bool is_member(const Channel& channel, const Account& account);
api::Chat make_channel(const Channel& channel, const Account& viewer);

// The message as the viewer's client sees it; documents carry a fresh file_reference, thread
// roots their replies (a post: its comments in the discussion group).
api::Message make_message(ApiState& state, const Channel& channel, const Message& message);

// The chat's pts: one past its newest message, as every answer about it says.
std::int32_t channel_pts(const Channel& channel);

// The chats and users that answers carrying messages must include (senders, linked chats).
struct PeerSet {
  std::set<std::int64_t> chats;
  std::set<std::int64_t> users;
  void add(const Channel& channel, const Message& message);
  void fill(const World& world, const Account& viewer, std::vector<api::Chat>& chats,
            std::vector<api::User>& users) const;
};
api::Message make_empty_message(const Channel& channel, int id);

// Resolves an input channel the viewer may read: CHANNEL_INVALID for unknown ids or a wrong
// access_hash, CHANNEL_PRIVATE for private channels the viewer is not a member of.
struct ChannelAccess {
  const Channel* channel = nullptr;
  std::string error;  // empty when channel is set
};
ChannelAccess access_channel(const World& world, std::int64_t channel_id, std::int64_t access_hash,
                             const Account& viewer);
ChannelAccess access_channel(const World& world, const api::InputChannel& input, const Account& viewer);
// The same for an InputPeer: only channels hold messages here, anything else is PEER_ID_INVALID.
ChannelAccess access_peer(const World& world, const api::InputPeer& input, const Account& viewer);

}  // namespace testdc
