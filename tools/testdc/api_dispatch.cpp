// handle_api_call: constructor id -> handler. Unknown ids and methods this world does not serve
// get a 400 error, malformed arguments INPUT_FETCH_ERROR, and a handler that throws (a bug) a 500:
// the connection always survives.
#include <algorithm>
#include <array>
#include <cstdio>
#include <exception>

#include "api_dispatch.hpp"
#include "api_handlers.hpp"
#include "api_objects.hpp"
#include "tl/api_registry.hpp"

namespace testdc {
namespace {

struct Route {
  std::uint32_t id;
  std::string_view name;
  ApiReply (*handler)(ApiCall&);
};

template <class Fn>
constexpr Route route(ApiReply (*handler)(ApiCall&)) {
  return Route{Fn::kId, Fn::kName, handler};
}

const std::array kRoutes = {
    route<api::help_getConfig>(handlers::help_getConfig),
    route<api::help_getNearestDc>(handlers::help_getNearestDc),
    route<api::updates_getState>(handlers::updates_getState),
    route<api::auth_sendCode>(handlers::auth_sendCode),
    route<api::auth_signIn>(handlers::auth_signIn),
    route<api::auth_importBotAuthorization>(handlers::auth_importBotAuthorization),
    route<api::auth_logOut>(handlers::auth_logOut),
    route<api::account_getPassword>(handlers::account_getPassword),
    route<api::auth_checkPassword>(handlers::auth_checkPassword),
    route<api::auth_exportAuthorization>(handlers::auth_exportAuthorization),
    route<api::auth_importAuthorization>(handlers::auth_importAuthorization),
    route<api::users_getUsers>(handlers::users_getUsers),
    route<api::contacts_resolveUsername>(handlers::contacts_resolveUsername),
    route<api::channels_getChannels>(handlers::channels_getChannels),
    route<api::channels_getMessages>(handlers::channels_getMessages),
    route<api::messages_getMessages>(handlers::messages_getMessages),
    route<api::messages_getHistory>(handlers::messages_getHistory),
    route<api::messages_getReplies>(handlers::messages_getReplies),
    route<api::messages_getDiscussionMessage>(handlers::messages_getDiscussionMessage),
    route<api::messages_getForumTopics>(handlers::messages_getForumTopics),
    route<api::messages_getForumTopicsByID>(handlers::messages_getForumTopicsByID),
    route<api::messages_getDialogs>(handlers::messages_getDialogs),
    route<api::channels_getFullChannel>(handlers::channels_getFullChannel),
    route<api::upload_getFile>(handlers::upload_getFile),
    route<api::upload_getFileHashes>(handlers::upload_getFileHashes),
};

std::uint32_t request_id(mtp::ByteSpan request) {
  if (request.size() < 4) return 0;
  return static_cast<std::uint32_t>(request[0]) | static_cast<std::uint32_t>(request[1]) << 8 |
         static_cast<std::uint32_t>(request[2]) << 16 | static_cast<std::uint32_t>(request[3]) << 24;
}

std::string hex_id(std::uint32_t id) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", id);
  return buf;
}

}  // namespace

ApiReply dispatch_api_call(ApiCall& call) {
  const std::uint32_t id = request_id(call.request);
  const auto* r = std::find_if(kRoutes.begin(), kRoutes.end(), [id](const Route& x) { return x.id == id; });
  if (r == kRoutes.end()) {
    const std::string_view known = mtp::tl::api::name_of(id);
    std::string error = "METHOD_NOT_SUPPORTED";  // a real method this test world does not implement
    std::string method(known);
    if (known.empty()) {  // Telegram's answer to a constructor it does not know
      error = "INPUT_METHOD_INVALID_";
      error.append(std::to_string(id));
      method = "unknown#";
      method.append(hex_id(id));
    }
    ApiReply reply = ApiReply::fail(400, error);
    reply.method = std::move(method);
    return reply;
  }
  ApiReply reply;
  try {
    reply = r->handler(call);
  } catch (const std::exception&) {
    reply = ApiReply::fail(500, "INTERNAL_SERVER_ERROR");
  }
  reply.method = std::string(r->name);
  return reply;
}

asio::awaitable<ApiReply> handle_api_call(ApiCall& call) { co_return dispatch_api_call(call); }

}  // namespace testdc
