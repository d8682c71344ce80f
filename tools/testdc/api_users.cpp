// users.getUsers and contacts.resolveUsername.
#include <algorithm>
#include <cctype>

#include "api_handlers.hpp"
#include "api_objects.hpp"

namespace testdc::handlers {
namespace {

bool equal_ignoring_case(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

ApiReply users_getUsers(ApiCall& call) {
  auto req = parse_request<api::users_getUsers>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  const World& world = call.state.world();
  std::vector<api::User> users;
  for (const api::InputUser& input : req->id) {
    if (input.is<api::inputUserSelf>()) {
      users.push_back(make_user(*self, true));
    } else if (const auto* u = input.get_if<api::inputUser>()) {
      const Account* other = world.find_account_by_id(u->user_id);
      // Telegram leaves out users whose access_hash does not match rather than failing the call.
      if (other != nullptr && (other == self || other->access_hash == u->access_hash)) {
        users.push_back(make_user(*other, other == self));
      }
    }
  }
  return ApiReply::ok(users);
}

ApiReply contacts_resolveUsername(ApiCall& call) {
  auto req = parse_request<api::contacts_resolveUsername>(call);
  if (!req) return fetch_error();
  const Account* self = logged_in_account(call);
  if (self == nullptr) return unregistered();
  if (!is_valid_username(req->username)) return ApiReply::fail(400, "USERNAME_INVALID");
  const World& world = call.state.world();

  api::contacts_resolvedPeer resolved;
  if (const Channel* channel = world.find_channel_by_username(req->username)) {
    resolved.peer = api::peerChannel{channel->id};
    resolved.chats.push_back(make_channel(*channel, *self));
    return ApiReply::ok(resolved);
  }
  for (const Account& a : world.accounts) {
    if (!a.username.empty() && equal_ignoring_case(a.username, req->username)) {
      resolved.peer = api::peerUser{a.user_id};
      resolved.users.push_back(make_user(a, &a == self));
      return ApiReply::ok(resolved);
    }
  }
  return ApiReply::fail(400, "USERNAME_NOT_OCCUPIED");
}

}  // namespace testdc::handlers
